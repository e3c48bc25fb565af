#include <server-console/serverlogging.h>

Q_LOGGING_CATEGORY(lcServer, "hopshare.server")
Q_LOGGING_CATEGORY(lcServerSession, "hopshare.server.session")
Q_LOGGING_CATEGORY(lcLink, "hopshare.server.link")
Q_LOGGING_CATEGORY(lcFederation, "hopshare.server.federation")
