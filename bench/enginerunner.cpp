#include "enginerunner.h"

using namespace Qt::StringLiterals;

namespace Bench {

std::unique_ptr<TransferRunner> makeEngineRunner(QString *error)
{
    *error = u"the UDP transfer engine is not available in this build"_s;
    return nullptr;
}

} // namespace Bench
