// Prints the simulated goodput of the congestion controllers across random loss rates and
// round-trip times (virtual time, deterministic): the table in docs/TRANSFER-ALGORITHMS.md.
// Build: cmake --build DIR --target transfer_path_sweep; run: DIR/.../transfer_path_sweep

#include <tests/common/transfer/algorithms/pathsimulator.h>

#include <array>
#include <cstdio>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

struct Mode
{
    const char *name;
    CongestionAlgorithm algorithm;
    bool adaptiveLossBaseline;
};

constexpr std::array<Mode, 3> kModes = {{
        {"bbr (adaptive)", CongestionAlgorithm::Bbr, true},
        {"bbr (2 % absolute)", CongestionAlgorithm::Bbr, false},
        {"newreno", CongestionAlgorithm::NewReno, false},
}};
constexpr std::array<double, 6> kLosses = {0.0, 0.01, 0.02, 0.05, 0.10, 0.20};
constexpr std::uint64_t kBottleneck = 6'000'000; // 48 Mbit/s

double share(const Mode &mode, double loss, std::chrono::milliseconds rtt)
{
    TestSupport::PathConfig config;
    config.bottleneckBytesPerSecond = kBottleneck;
    config.baseRtt = rtt;
    config.queueBytes = kBottleneck * static_cast<std::uint64_t>(rtt.count()) / 1000; // 1 BDP
    config.randomLoss = loss;
    config.seed = 7;
    config.algorithm = mode.algorithm;
    config.congestion.adaptiveLossBaseline = mode.adaptiveLossBaseline;
    TestSupport::PathSimulator sim(config);
    (void)sim.run(3s);
    const TestSupport::PathResult result = sim.run(10s);
    return result.goodputBytesPerSecond(10s) / static_cast<double>(kBottleneck);
}

} // namespace

int main()
{
    for (const auto rtt : {20ms, 100ms}) {
        std::printf("\nRTT %lld ms, 48 Mbit/s bottleneck, 1 BDP of queue; goodput / bottleneck "
                    "over 10 s after 3 s warm-up\n\n| loss |",
                    static_cast<long long>(rtt.count()));
        for (const Mode &mode : kModes)
            std::printf(" %s |", mode.name);
        std::printf("\n|---|---|---|---|\n");
        for (const double loss : kLosses) {
            std::printf("| %.0f %% |", loss * 100);
            for (const Mode &mode : kModes)
                std::printf(" %.3f |", share(mode, loss, rtt));
            std::printf("\n");
        }
    }
    return 0;
}
