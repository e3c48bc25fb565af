#include <transfer/io/transferlogging.h>

Q_LOGGING_CATEGORY(lcTransfer, "hopshare.transfer")
