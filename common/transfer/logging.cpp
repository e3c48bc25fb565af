#include "logging.h"

Q_LOGGING_CATEGORY(lcTransfer, "hopshare.transfer")
