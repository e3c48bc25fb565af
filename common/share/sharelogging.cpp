#include <share/sharelogging.h>

// Debug output (per-scan statistics) is opt-in: QT_LOGGING_RULES="hopshare.share.debug=true".
Q_LOGGING_CATEGORY(lcShare, "hopshare.share", QtInfoMsg)
