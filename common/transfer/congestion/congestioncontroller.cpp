#include <transfer/congestion/congestioncontroller.h>

#include <transfer/congestion/bbrcontroller.h>
#include <transfer/congestion/fixedwindowcontroller.h>
#include <transfer/congestion/newrenocontroller.h>

using namespace Qt::StringLiterals;

namespace Transfer {

std::unique_ptr<CongestionController> makeCongestionController(CongestionAlgorithm algorithm,
                                                               const RttEstimator &rtt,
                                                               const CongestionConfig &config)
{
    switch (algorithm) {
    case CongestionAlgorithm::Bbr:
        return std::make_unique<BbrController>(rtt, config);
    case CongestionAlgorithm::NewReno:
        return std::make_unique<NewRenoController>(rtt, config);
    case CongestionAlgorithm::FixedWindow:
        return std::make_unique<FixedWindowController>(rtt, config);
    }
    return std::make_unique<BbrController>(rtt, config);
}

std::optional<CongestionAlgorithm> congestionAlgorithmFromName(QStringView name)
{
    for (auto algorithm : {CongestionAlgorithm::Bbr, CongestionAlgorithm::NewReno,
                           CongestionAlgorithm::FixedWindow}) {
        if (name.compare(congestionAlgorithmName(algorithm), Qt::CaseInsensitive) == 0)
            return algorithm;
    }
    return std::nullopt;
}

QLatin1StringView congestionAlgorithmName(CongestionAlgorithm algorithm)
{
    switch (algorithm) {
    case CongestionAlgorithm::Bbr:
        return "bbr"_L1;
    case CongestionAlgorithm::NewReno:
        return "newreno"_L1;
    case CongestionAlgorithm::FixedWindow:
        return "fixed"_L1;
    }
    return "bbr"_L1;
}

} // namespace Transfer
