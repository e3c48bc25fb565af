#include <client/clientlogging.h>

Q_LOGGING_CATEGORY(lcClient, "hopshare.client")
