#include <tests/common/transfer/algorithms/pathsimulator.h>

#include <transfer/congestion/deliveryrate.h>
#include <transfer/congestion/pacer.h>
#include <transfer/recovery/ackranges.h>
#include <transfer/recovery/lossdetector.h>

#include <algorithm>
#include <array>
#include <deque>
#include <queue>
#include <random>

using namespace Transfer;
using namespace std::chrono_literals;

namespace TestSupport {

namespace {

constexpr Duration kMaxAckDelay = 1ms;
constexpr std::uint64_t kMaxEvents = 50'000'000; // hard bound on any run

struct Event
{
    enum class Kind { DataArrives, AckArrives, AckTimer };
    TimePoint at;
    std::uint64_t order; // FIFO among equal times
    Kind kind;
    PacketNumber pn = 0;
    std::uint64_t block = 0;
    std::size_t ackIndex = 0;
    friend bool operator>(const Event &a, const Event &b)
    {
        return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
};

struct Ack
{
    PacketNumber largest = 0;
    Duration delay {};
    std::vector<PacketNumberRange> ranges;
};

} // namespace

double PathResult::goodputBytesPerSecond(Duration over) const
{
    return static_cast<double>(uniqueBytesDelivered) / std::chrono::duration<double>(over).count();
}

struct PathSimulator::Private
{
    explicit Private(const PathConfig &c)
        : config(c)
        , random(c.seed)
        , loss()
        , pacer(c.packetSize)
    {
        CongestionConfig cc = c.congestion;
        cc.maxDatagramSize = c.packetSize;
        controller = makeCongestionController(c.algorithm, loss.rtt(), cc);
        loss.rtt().setMaxAckDelay(kMaxAckDelay);
        // The handshake's RTT sample, as the engine would feed it.
        loss.rtt().addSample(c.baseRtt, Duration::zero());
        pacer.setRate(controller->pacingRate(), clock);
    }

    void push(Event event)
    {
        event.order = nextOrder++;
        events.push(event);
    }

    bool dropsNext();
    void sendPacket(std::uint64_t block);
    void trySend();
    void onDataArrives(const Event &event);
    void sendAck();
    void onAckArrives(const Event &event);
    void onTimer();
    void feedController(const LossOutcome &outcome);
    std::uint64_t nextBlock();

    PathConfig config;
    std::mt19937_64 random;
    std::uniform_real_distribution<double> uniform {0.0, 1.0};
    TimePoint clock {std::chrono::seconds(1)};
    std::uint64_t nextOrder = 0;
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
    std::vector<Ack> acks;

    // Sender
    LossDetector loss;
    DeliveryRateEstimator rate;
    std::unique_ptr<CongestionController> controller;
    Pacer pacer;
    PacketNumber nextPn = 0;
    std::uint64_t nextNewBlock = 0;
    std::deque<std::uint64_t> retransmit;
    std::vector<bool> blockAcked;

    // Link
    TimePoint linkFreeAt {};
    bool lossBurst = false; // Gilbert-Elliott: in the losing state
    std::deque<std::pair<TimePoint, std::uint32_t>> queue; // departure time, bytes
    std::uint64_t queuedBytes = 0;

    // Receiver
    AckRanges received;
    std::vector<bool> blockReceived;
    std::uint32_t unacked = 0;
    bool ackTimerArmed = false;

    PathResult result;
};

PathSimulator::PathSimulator(const PathConfig &config)
    : d(std::make_unique<Private>(config))
{ }

PathSimulator::~PathSimulator() = default;

std::uint64_t PathSimulator::Private::nextBlock()
{
    while (!retransmit.empty()) {
        const std::uint64_t block = retransmit.front();
        retransmit.pop_front();
        if (!blockAcked[block])
            return block;
    }
    blockAcked.push_back(false);
    return nextNewBlock++;
}

bool PathSimulator::Private::dropsNext()
{
    if (config.meanLossBurst <= 1.0)
        return uniform(random) < config.randomLoss;
    // Two states with the same long-run loss rate: bursts of mean length meanLossBurst.
    const double leave = 1.0 / config.meanLossBurst;
    const double enter = config.randomLoss * leave / std::max(1.0 - config.randomLoss, 1e-9);
    lossBurst = uniform(random) < (lossBurst ? 1.0 - leave : enter);
    return lossBurst;
}

void PathSimulator::Private::sendPacket(std::uint64_t block)
{
    SentPacket packet;
    packet.pn = nextPn++;
    packet.sentTime = clock;
    packet.tag = block;
    packet.bytes = config.packetSize;
    packet.delivery = rate.onPacketSent(clock, loss.bytesInFlight());
    controller->onPacketSent(clock, packet.bytes, loss.bytesInFlight());
    loss.onPacketSent(packet);
    pacer.onPacketSent(packet.bytes, clock);
    ++result.packetsSent;

    // The link: random loss, then a FIFO drained at the bottleneck rate.
    while (!queue.empty() && queue.front().first <= clock) {
        queuedBytes -= queue.front().second;
        queue.pop_front();
    }
    const bool randomDrop = dropsNext();
    if (randomDrop && !config.lossAfterBottleneck) {
        ++result.linkDrops;
        return;
    }
    if (queuedBytes + packet.bytes > config.queueBytes) {
        ++result.linkDrops;
        ++result.queueDrops;
        return;
    }
    const auto serialisation = std::chrono::duration_cast<Duration>(
            std::chrono::duration<double>(static_cast<double>(packet.bytes)
                                          / static_cast<double>(config.bottleneckBytesPerSecond)));
    const TimePoint departs = std::max(clock, linkFreeAt) + serialisation;
    linkFreeAt = departs;
    queue.emplace_back(departs, packet.bytes);
    queuedBytes += packet.bytes;
    result.maxQueueDelay = std::max(result.maxQueueDelay, departs - clock - serialisation);
    if (randomDrop) {
        ++result.linkDrops;
        return;
    }
    push({departs + config.baseRtt / 2, 0, Event::Kind::DataArrives, packet.pn, block, 0});
}

void PathSimulator::Private::trySend()
{
    while (loss.canSend() && controller->canSend(loss.bytesInFlight())
           && pacer.canSend(config.packetSize, clock))
        sendPacket(nextBlock());
}

void PathSimulator::Private::onDataArrives(const Event &event)
{
    const AckRanges::Arrival arrival = received.onPacketReceived(event.pn, clock);
    if (event.block >= blockReceived.size())
        blockReceived.resize(event.block + 1, false);
    if (!blockReceived[event.block]) {
        blockReceived[event.block] = true;
        result.uniqueBytesDelivered += config.packetSize;
    }
    if (arrival == AckRanges::Arrival::Duplicate || arrival == AckRanges::Arrival::TooOld)
        return;
    ++unacked;
    if (arrival == AckRanges::Arrival::OutOfOrder || unacked >= config.ackEvery) {
        sendAck();
    } else if (!ackTimerArmed) {
        ackTimerArmed = true;
        push({clock + kMaxAckDelay, 0, Event::Kind::AckTimer, 0, 0, 0});
    }
}

void PathSimulator::Private::sendAck()
{
    if (received.isEmpty())
        return;
    std::array<PacketNumberRange, AckRanges::kMaxReportedRanges> ranges;
    const std::size_t count = received.copyRanges(ranges);
    acks.push_back({received.largest(), received.ackDelay(clock),
                    std::vector<PacketNumberRange>(ranges.begin(), ranges.begin() + count)});
    push({clock + config.baseRtt / 2, 0, Event::Kind::AckArrives, 0, 0, acks.size() - 1});
    unacked = 0;
}

void PathSimulator::Private::feedController(const LossOutcome &outcome)
{
    for (const SentPacket &packet : outcome.lost) {
        retransmit.push_back(packet.tag);
        ++result.packetsLost;
    }
    if (outcome.lostBytes > 0) {
        LossEvent lost;
        lost.now = clock;
        lost.lostBytes = outcome.lostBytes;
        lost.lostPackets = static_cast<std::uint32_t>(outcome.lost.size());
        lost.priorBytesInFlight = outcome.priorBytesInFlight;
        lost.bytesInFlight = loss.bytesInFlight();
        lost.largestLostSentTime = outcome.largestLostSentTime;
        controller->onPacketsLost(lost);
    }
    if (outcome.persistentCongestion) {
        ++result.persistentCongestion;
        controller->onPersistentCongestion(clock);
    }
}

void PathSimulator::Private::onAckArrives(const Event &event)
{
    const Ack &ack = acks[event.ackIndex];
    const LossOutcome &outcome = loss.onAck(ack.largest, ack.delay, ack.ranges, clock);
    if (outcome.status != LossOutcome::Status::Processed)
        return;
    for (const SentPacket &packet : outcome.acked) {
        blockAcked[packet.tag] = true;
        rate.onPacketAcked(packet.delivery, packet.sentTime, packet.bytes, clock);
    }
    if (!outcome.acked.empty()) {
        AckEvent acked;
        acked.now = clock;
        acked.ackedBytes = outcome.ackedBytes;
        acked.ackedPackets = static_cast<std::uint32_t>(outcome.acked.size());
        acked.priorBytesInFlight = outcome.priorBytesInFlight;
        acked.bytesInFlight = loss.bytesInFlight();
        acked.largestAckedSentTime = outcome.largestAckedSentTime;
        acked.rttUpdated = outcome.rttUpdated;
        acked.rate = rate.takeSample(loss.rtt().minRtt());
        controller->onPacketsAcked(acked);
    }
    feedController(outcome);
    pacer.setRate(controller->pacingRate(), clock);
}

void PathSimulator::Private::onTimer()
{
    const LossOutcome &outcome = loss.onTimeout(clock);
    feedController(outcome);
    if (outcome.status == LossOutcome::Status::Probe) {
        for (unsigned i = 0; i < outcome.probes && loss.canSend(); ++i) {
            const SentPacket *oldest = loss.oldestOutstanding();
            sendPacket(oldest ? oldest->tag : nextBlock());
        }
    }
    pacer.setRate(controller->pacingRate(), clock);
}

PathResult PathSimulator::run(Duration duration,
                              const std::function<void(const PathSimulator &)> &observe)
{
    const TimePoint end = d->clock + duration;
    d->result = PathResult();
    for (std::uint64_t step = 0; step < kMaxEvents && d->clock < end; ++step) {
        d->trySend();
        TimePoint next = end;
        if (!d->events.empty())
            next = std::min(next, d->events.top().at);
        if (d->loss.canSend() && d->controller->canSend(d->loss.bytesInFlight()))
            next = std::min(next, d->pacer.nextSendTime(d->clock));
        const std::optional<TimePoint> deadline = d->loss.timerDeadline();
        if (deadline)
            next = std::min(next, std::max(*deadline, d->clock));
        d->clock = std::max(d->clock, next);
        if (deadline && *deadline <= d->clock) {
            d->onTimer();
            continue;
        }
        if (d->events.empty() || d->events.top().at > d->clock)
            continue;
        const Event event = d->events.top();
        d->events.pop();
        switch (event.kind) {
        case Event::Kind::DataArrives:
            d->onDataArrives(event);
            break;
        case Event::Kind::AckArrives:
            d->onAckArrives(event);
            if (observe)
                observe(*this);
            break;
        case Event::Kind::AckTimer:
            d->ackTimerArmed = false;
            if (d->unacked > 0)
                d->sendAck();
            break;
        }
    }
    return d->result;
}

void PathSimulator::setRandomLoss(double loss)
{
    d->config.randomLoss = loss;
}

void PathSimulator::setBottleneckRate(std::uint64_t bytesPerSecond)
{
    d->config.bottleneckBytesPerSecond = std::max<std::uint64_t>(bytesPerSecond, 1);
}

TimePoint PathSimulator::now() const
{
    return d->clock;
}

const CongestionController &PathSimulator::controller() const
{
    return *d->controller;
}

const RttEstimator &PathSimulator::rtt() const
{
    return d->loss.rtt();
}

std::uint64_t PathSimulator::bytesInFlight() const
{
    return d->loss.bytesInFlight();
}

} // namespace TestSupport
