#include "servefetch.h"

#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Bench {

int ServeFetch::serve(const ServeFetchOptions &)
{
    QTextStream(stderr) << u"hopshare-bench: the UDP transfer engine is not available"_s
                        << Qt::endl;
    return 2;
}

int ServeFetch::fetch(const ServeFetchOptions &)
{
    QTextStream(stderr) << u"hopshare-bench: the UDP transfer engine is not available"_s
                        << Qt::endl;
    return 2;
}

} // namespace Bench
