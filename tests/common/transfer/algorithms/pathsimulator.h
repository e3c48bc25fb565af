#pragma once

// A deterministic, packet-level simulation of one sender and one receiver across a bottleneck
// (rate, FIFO queue with tail drop, random loss, propagation delay), built from the transport's
// algorithm units exactly as the engine wires them: LossDetector + DeliveryRateEstimator +
// a CongestionController + Pacer on the sending side, AckRanges on the receiving side. Runs on
// a virtual clock, so controller behaviour can be checked without sockets or real time.

#include <transfer/congestion/congestioncontroller.h>
#include <transfer/io/transferclock.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace TestSupport {

struct PathConfig
{
    std::uint64_t bottleneckBytesPerSecond = 2'500'000; // 20 Mbit/s
    Transfer::Duration baseRtt = std::chrono::milliseconds(20);
    std::uint64_t queueBytes = 100'000;
    double randomLoss = 0.0; // on the data direction, before the queue
    bool lossAfterBottleneck = false; // random loss on arrival, after the queue (netlab)
    double meanLossBurst = 1.0; // > 1: Gilbert-Elliott bursts of this mean length
    std::uint64_t seed = 1;
    std::uint32_t packetSize = 1200;
    std::uint32_t ackEvery = 2;
    Transfer::CongestionAlgorithm algorithm = Transfer::CongestionAlgorithm::Bbr;
    Transfer::CongestionConfig congestion;
};

struct PathResult
{
    std::uint64_t uniqueBytesDelivered = 0;
    std::uint64_t packetsSent = 0;
    std::uint64_t packetsLost = 0; // declared lost by the sender
    std::uint64_t linkDrops = 0; // random + queue drops
    std::uint64_t queueDrops = 0;
    std::uint64_t persistentCongestion = 0;
    Transfer::Duration maxQueueDelay {};
    [[nodiscard]] double goodputBytesPerSecond(Transfer::Duration over) const;
};

class PathSimulator
{
public:
    explicit PathSimulator(const PathConfig &config);
    ~PathSimulator();
    PathSimulator(const PathSimulator &) = delete;
    PathSimulator &operator=(const PathSimulator &) = delete;

    // Runs for `duration` of virtual time from where the last run stopped. `observe` (if set)
    // is called after every ACK the sender processes.
    PathResult run(Transfer::Duration duration,
                   const std::function<void(const PathSimulator &)> &observe = {});

    // Changes the link mid-run (e.g. to create congestion).
    void setRandomLoss(double loss);
    void setBottleneckRate(std::uint64_t bytesPerSecond);

    [[nodiscard]] Transfer::TimePoint now() const;
    [[nodiscard]] const Transfer::CongestionController &controller() const;
    [[nodiscard]] const Transfer::RttEstimator &rtt() const;
    [[nodiscard]] std::uint64_t bytesInFlight() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace TestSupport
