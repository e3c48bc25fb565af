#include "logging.h"

Q_LOGGING_CATEGORY(lcServer, "hopshare.server")
Q_LOGGING_CATEGORY(lcServerSession, "hopshare.server.session")
