#include <server-console/filelimit.h>

#include <server-console/serverlogging.h>

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace Server {

qint64 raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        qCWarning(lcServer) << "cannot read the open-file limit:" << std::strerror(errno);
        return -1;
    }
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            qCWarning(lcServer) << "cannot raise the open-file limit:" << std::strerror(errno);
            limit.rlim_cur = before;
        }
    }
    qCInfo(lcServer).nospace() << "open-file limit " << qint64(limit.rlim_cur) << " (was "
                               << qint64(before) << ", hard " << qint64(limit.rlim_max) << ")";
    return qint64(limit.rlim_cur);
}

} // namespace Server
