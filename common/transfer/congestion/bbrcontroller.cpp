#include <transfer/congestion/bbrcontroller.h>

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

Q_LOGGING_CATEGORY(lcBbr, "hopshare.transfer.cc")

constexpr std::array<double, 8> kProbeBwGains = {1.25, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
constexpr std::uint32_t kProbeDownPhase = 1;
constexpr double kStartupGrowthTarget = 1.25;
constexpr std::uint32_t kStartupFullRounds = 3;
constexpr std::uint32_t kHeavyLossIntervals = 3;
constexpr std::uint64_t kLossIntervalPackets = 64;
constexpr double kMaxBackgroundLoss = 0.15;
constexpr double kNoiseSigmas = 2.5;
constexpr double kCapGrowthPerRound = 1.25;
constexpr double kBackgroundLossWeight = 1.0 / 8.0;
constexpr double kStartupBackgroundWeight = 1.0 / 2.0;
constexpr std::uint64_t kLowRateSamplePackets = 64;
constexpr double kLowRateLossWeight = 1.0 / 4.0;
constexpr Duration kGranularity = std::chrono::milliseconds(1);

double seconds(Duration d)
{
    return std::chrono::duration<double>(d).count();
}

QLatin1StringView stateText(BbrController::State state)
{
    switch (state) {
    case BbrController::State::Startup:
        return "startup"_L1;
    case BbrController::State::Drain:
        return "drain"_L1;
    case BbrController::State::ProbeBw:
        return "probe_bw"_L1;
    case BbrController::State::ProbeRtt:
        return "probe_rtt"_L1;
    }
    return "startup"_L1;
}

} // namespace

BbrController::BbrController(const RttEstimator &rtt, const CongestionConfig &config)
    : m_rtt(rtt)
    , m_config(config)
    , m_random(config.randomSeed == 0 ? 1 : config.randomSeed)
{
    m_config.maxDatagramSize = std::max<std::uint32_t>(m_config.maxDatagramSize, 1);
    m_config.minimumWindowPackets = std::max<std::uint32_t>(m_config.minimumWindowPackets, 1);
    resetModel({});
}

std::uint64_t BbrController::packetBytes(double packets) const
{
    return static_cast<std::uint64_t>(packets * m_config.maxDatagramSize);
}

void BbrController::resetModel(TimePoint now)
{
    m_state = State::Startup;
    m_bwRounds = {};
    m_extraAckedRounds = {};
    m_aggregationDelivered = 0;
    m_aggregationStart = now;
    m_hasLastAck = false;
    m_ackGapNow = m_ackGapBefore = Duration::zero();
    m_ackGapEpochStart = now;
    m_epochAcked = 0;
    m_epochRate = 0;
    m_hasBandwidth = false;
    m_fullBandwidth = 0;
    m_fullBandwidthRounds = 0;
    m_filledPipe = false;
    m_phase = 0;
    m_phaseStart = now;
    m_probeRttDoneArmed = false;
    m_intervalPackets = 0;
    m_intervalLost = 0;
    m_inflightAtFirstLoss = 0;
    m_heavyLossIntervals = 0;
    m_lastVerdictExcess = false;
    m_lastIntervalQueued = false;
    m_downPhaseStart = TimePoint::max();
    m_downPhaseEnd = TimePoint::max();
    m_lowRateAcked = 0;
    m_lowRateLost = 0;
    m_inflightHi = 0;
    m_bwCap = 0;
    m_roundAllDelayed = true;
    m_delayGuard = false;
}

std::uint64_t BbrController::initialBandwidth() const
{
    // 10 packets per (handshake) RTT, RFC 9002's initial window spread over a round trip.
    const double rtt = std::max(seconds(m_rtt.smoothedRtt()), 1e-6);
    return static_cast<std::uint64_t>(
            static_cast<double>(packetBytes(m_config.initialWindowPackets)) / rtt);
}

std::uint64_t BbrController::maxFilterBandwidth() const
{
    if (!m_hasBandwidth)
        return initialBandwidth();
    std::uint64_t best = 0;
    std::uint64_t stale = 0;
    for (const RoundMax &slot : m_bwRounds) {
        if (slot.round + kBandwidthWindowRounds > m_bwRoundCount)
            best = std::max(best, slot.bandwidth);
        stale = std::max(stale, slot.bandwidth);
    }
    // Rounds without a usable sample (all app-limited or too short) leave the window empty:
    // an old estimate is then a better guess than none.
    return std::max<std::uint64_t>(best != 0 ? best : stale, 1);
}

std::uint64_t BbrController::bottleneckBandwidth() const
{
    const std::uint64_t bw = maxFilterBandwidth();
    return m_bwCap == 0 ? bw : std::min(bw, m_bwCap);
}

Duration BbrController::minRtt() const
{
    return m_hasMinRtt ? m_minRtt : m_rtt.smoothedRtt();
}

std::uint64_t BbrController::bdp() const
{
    return static_cast<std::uint64_t>(static_cast<double>(bottleneckBandwidth())
                                      * seconds(minRtt()));
}

double BbrController::pacingGain() const
{
    double gain = 1.0;
    switch (m_state) {
    case State::Startup:
        return kStartupGain;
    case State::Drain:
        gain = 1.0 / kStartupGain;
        break;
    case State::ProbeBw:
        gain = kProbeBwGains[m_phase];
        break;
    case State::ProbeRtt:
        gain = 1.0;
        break;
    }
    return m_delayGuard ? std::min(gain, kDelayGuardGain) : gain;
}

std::uint64_t BbrController::pacingRate() const
{
    const double rate = pacingGain() * static_cast<double>(bottleneckBandwidth());
    // Floor: never stall completely, yet never more than 4 packets per round trip.
    const double rtt = std::max(seconds(m_rtt.smoothedRtt()), 1e-6);
    const double fourPerRtt = static_cast<double>(packetBytes(m_config.minimumWindowPackets)) / rtt;
    const double floor = std::min(fourPerRtt, static_cast<double>(m_config.minimumPacingRate));
    return std::max<std::uint64_t>(static_cast<std::uint64_t>(std::max(rate, floor)), 1);
}

std::uint64_t BbrController::congestionWindow() const
{
    const std::uint64_t minimum = packetBytes(m_config.minimumWindowPackets);
    if (m_state == State::ProbeRtt)
        return minimum;
    // ACKs arrive in batches (one per 16 packets, recvmmsg, delayed ACKs): the window also
    // covers the largest batch seen recently, or the sender idles between ACKs.
    // The peer may hold an ACK for max_ack_delay, and on a path whose min_rtt is tens of
    // microseconds (a LAN, loopback) a descheduled receiver does the same: the window also
    // covers what the path delivers in that time, at the cost of at most that much queue.
    // Not while random loss is compensated: there the rate is above the delivery rate on
    // purpose, and 2 * bdp is what keeps that from building a queue.
    // Only as long as the ACKs were really held (the longest gap between them lately, at most
    // the peer's max_ack_delay), at the rate the ACKs actually came in over the last 100 ms,
    // and not in STARTUP/DRAIN. btl_bw is a max over round trips, and a shaper's burst (tbf
    // lets 32 KB through at line rate) can put it at ten times the link for a while; times
    // the full max_ack_delay that let the window, and the queue, grow past a 100 Mbit/s
    // path's 20 ms of buffer, and STARTUP ended only on 40 % loss.
    const bool modelled = m_state == State::ProbeBw || m_state == State::ProbeRtt;
    const Duration held = std::min(recentAckGap(), m_rtt.maxAckDelay());
    const double heldAck = compensatesRandomLoss() || !modelled
            ? 0.0
            : static_cast<double>(std::min(bottleneckBandwidth(), epochDeliveryRate(m_lastAck)))
                    * seconds(held);
    std::uint64_t window
            = static_cast<std::uint64_t>(std::max(kCwndGain * static_cast<double>(bdp()), heldAck))
            + packetBytes(4) + extraAcked();
    if (m_inflightHi != 0)
        window = std::min(window, m_inflightHi);
    return std::max(window, minimum);
}

QLatin1StringView BbrController::name() const
{
    return "bbr"_L1;
}

QLatin1StringView BbrController::stateName() const
{
    return stateText(m_state);
}

void BbrController::onPacketSent(TimePoint, std::uint32_t, std::uint64_t) { }

bool BbrController::capsMayGrow() const
{
    // TRANSFER.md lets the caps grow only in the 1.25 phase; with 10-round bandwidth memory that
    // is too slow: an unlucky interval's cap outlives the filter's memory and the model walks
    // down. Any PROBE_BW round without excess loss lets them grow (the simulation shows 0.81
    // instead of 0.50 of the link at 10 % random loss, and still backs off on congestion).
    return m_state == State::ProbeBw;
}

bool BbrController::intervalHasExcessLoss() const
{
    const std::uint64_t total = m_intervalPackets + m_intervalLost;
    if (total == 0)
        return false;
    if (!m_config.adaptiveLossBaseline)
        return static_cast<double>(m_intervalLost) / static_cast<double>(total) > kLossThreshold;
    // Above the path's own loss by the threshold and by more than sampling noise: with 5 %
    // random loss, 64 packets lose 3.2 +- 1.7, and reacting to every unlucky interval would
    // walk the rate down through the bandwidth filter. The noise is never taken below that of
    // a 2 % loss rate, so a baseline not yet learnt does not make two losses a verdict.
    const double n = static_cast<double>(total);
    const double p = m_backgroundLoss;
    const double q = std::max(p, kLossThreshold);
    const double noise
            = kNoiseSigmas * std::sqrt(std::max(q * (1.0 - q) / n, m_backgroundVariance));
    return static_cast<double>(m_intervalLost) / n > p + std::max(kLossThreshold, noise);
}

void BbrController::onPacketsAcked(const AckEvent &event)
{
    updateMinRtt(event);
    const bool roundStart
            = event.ackedPackets > 0 && event.rate.priorDelivered >= m_nextRoundDelivered;
    if (roundStart) {
        // The new round is counted first: caps set while judging the old one belong to it.
        ++m_roundCount;
        // PROBE_RTT's 4-packet window says nothing about the path's bandwidth: at short RTTs
        // it lasts longer than the filter's 10 rounds, so the filter's clock stops meanwhile.
        if (m_state != State::ProbeRtt)
            ++m_bwRoundCount;
        m_nextRoundDelivered = event.rate.totalDelivered;
        onRoundEnd(event);
    }
    m_intervalPackets += event.ackedPackets;
    countLowRatePackets(event.largestAckedSentTime, event.ackedPackets, 0);
    updateBandwidth(event);
    updateAckAggregation(event);
    updateAckGap(event.now, event.ackedBytes);
    if (m_hasMinRtt && event.rttUpdated
        && m_rtt.smoothedRtt() <= m_minRtt + std::max(kDelayGuardMargin, m_minRtt))
        m_roundAllDelayed = false;
    if (roundStart)
        checkStartupDone(event);
    growCaps(event);
    updateState(event);
}

void BbrController::updateMinRtt(const AckEvent &event)
{
    const bool expired = m_hasMinRtt && event.now > m_minRttStamp + kMinRttWindow;
    if (event.rttUpdated) {
        const Duration sample = m_rtt.latestRtt();
        m_intervalMaxRtt = std::max(m_intervalMaxRtt, sample);
        if (!m_hasMinRtt || sample <= m_minRtt || expired) {
            m_minRtt = sample;
            m_minRttStamp = event.now;
            m_hasMinRtt = true;
        }
    }
    if (expired && m_state != State::ProbeRtt) {
        qCDebug(lcBbr) << "min_rtt not refreshed for 10 s: probe_rtt";
        m_state = State::ProbeRtt;
        m_probeRttDoneArmed = false;
        m_downPhaseEnd = std::min(m_downPhaseEnd, event.now);
    }
}

bool BbrController::compensatesRandomLoss() const
{
    // Only while nothing says the loss is ours: any cap, excess-loss verdict or queue (RTT
    // above the minimum) ends it, so congestive loss is never taken for capacity.
    return m_config.adaptiveLossBaseline && m_state == State::ProbeBw
            && randomLossCompensation() > 0.0 && !m_delayGuard && !m_lastVerdictExcess
            && !m_lastIntervalQueued && m_bwCap == 0 && m_inflightHi == 0;
}

double BbrController::randomLossCompensation() const
{
    // Loss that also hits packets sent below the model's rate is not caused by the sending
    // rate; a congested link (even one with a queue too short to show in the RTT) drops none
    // of them, as the 0.75 phase drains what the 1.25 phase queued.
    return std::min({m_backgroundLoss, m_lowRateLoss, kMaxBackgroundLoss});
}

void BbrController::countLowRatePackets(TimePoint sentTime, std::uint64_t acked, std::uint64_t lost)
{
    if (sentTime < m_downPhaseStart || sentTime >= m_downPhaseEnd)
        return;
    m_lowRateAcked += acked;
    m_lowRateLost += lost;
    const std::uint64_t total = m_lowRateAcked + m_lowRateLost;
    if (total < kLowRateSamplePackets)
        return;
    const double rate = static_cast<double>(m_lowRateLost) / static_cast<double>(total);
    ++m_lowRateSamples;
    const double weight = std::max(kLowRateLossWeight, 1.0 / static_cast<double>(m_lowRateSamples));
    m_lowRateLoss += (rate - m_lowRateLoss) * weight;
    m_lowRateAcked = 0;
    m_lowRateLost = 0;
}

void BbrController::updateBandwidth(const AckEvent &event)
{
    const RateSample &rate = event.rate;
    if (!rate.valid || m_state == State::ProbeRtt)
        return;
    // With loss after the bottleneck the delivery rate is L * (1 - p) at any sending rate;
    // what left the bottleneck is what was delivered plus what was lost at random.
    std::uint64_t sample = rate.bytesPerSecond;
    if (compensatesRandomLoss())
        sample = static_cast<std::uint64_t>(
                static_cast<double>(sample)
                / (1.0 - std::min(m_backgroundLoss, kMaxBackgroundLoss)));
    // App-limited samples say little about the path unless they show more than we knew.
    if (rate.appLimited && m_hasBandwidth && sample < maxFilterBandwidth())
        return;
    RoundMax &slot = m_bwRounds[m_bwRoundCount % kBandwidthWindowRounds];
    if (slot.round != m_bwRoundCount || !m_hasBandwidth)
        slot = {m_bwRoundCount, 0};
    slot.bandwidth = std::max(slot.bandwidth, sample);
    m_hasBandwidth = true;
}

void BbrController::onRoundEnd(const AckEvent &event)
{
    if (m_intervalPackets + m_intervalLost >= kLossIntervalPackets)
        judgeLossInterval(event);
    else if (capsMayGrow() && !m_lastVerdictExcess)
        growBandwidthCap();
    m_delayGuard = m_state != State::Startup && m_hasMinRtt && m_roundAllDelayed;
    m_roundAllDelayed = true;
}

void BbrController::growBandwidthCap()
{
    if (m_bwCap == 0)
        return;
    m_bwCap = static_cast<std::uint64_t>(static_cast<double>(m_bwCap) * kCapGrowthPerRound);
    if (m_bwCap >= maxFilterBandwidth())
        m_bwCap = 0;
}

void BbrController::judgeLossInterval(const AckEvent &event)
{
    const double lossRate = static_cast<double>(m_intervalLost)
            / static_cast<double>(m_intervalPackets + m_intervalLost);
    m_lastLossRate = lossRate;
    // In STARTUP, loss without a growing queue (RTT near its minimum) is the path's random
    // loss, not the overshoot STARTUP is meant to stop at: leaving on it would start PROBE_BW
    // from a tiny model that takes seconds to grow back on long paths. The plateau rule still
    // ends STARTUP.
    // The peer may hold an ACK for up to max_ack_delay: only RTT beyond that is a queue.
    const Duration slack = std::max(minRtt() / 4, m_rtt.maxAckDelay() + kGranularity);
    const bool queueGrew
            = m_intervalMaxRtt > minRtt() + slack && m_rtt.smoothedRtt() > minRtt() + slack / 2;
    m_lastIntervalQueued = queueGrew;
    const bool randomStartupLoss
            = m_state == State::Startup && m_config.adaptiveLossBaseline && !queueGrew;
    m_lastVerdictExcess = intervalHasExcessLoss() && !randomStartupLoss;
    if (m_lastVerdictExcess) {
        applyLossResponse(m_inflightAtFirstLoss != 0 ? m_inflightAtFirstLoss
                                                     : event.priorBytesInFlight);
        if (m_state == State::Startup) {
            qCDebug(lcBbr) << "startup: loss" << lossRate << "exits to drain";
            m_filledPipe = true;
        }
    } else if (capsMayGrow()) {
        growBandwidthCap();
    }
    // What is lost while not sending above the model is the path's own (random) loss.
    if (randomStartupLoss)
        learnBackgroundLoss(lossRate, kStartupBackgroundWeight);
    else if (m_state == State::ProbeBw && kProbeBwGains[m_phase] <= 1.0)
        learnBackgroundLoss(lossRate, kBackgroundLossWeight);
    if (lossRate > kHeavyLossThreshold) {
        if (++m_heavyLossIntervals >= kHeavyLossIntervals)
            halveBandwidth();
    } else {
        m_heavyLossIntervals = 0;
    }
    m_intervalPackets = 0;
    m_intervalLost = 0;
    m_inflightAtFirstLoss = 0;
    m_intervalMaxRtt = Duration::zero();
}

void BbrController::learnBackgroundLoss(double lossRate, double weight)
{
    // The first intervals are averaged plainly, so the baseline is usable after a few of
    // them instead of creeping up from zero while every interval looks like congestion.
    ++m_backgroundSamples;
    weight = std::max(weight, 1.0 / static_cast<double>(m_backgroundSamples));
    const double deviation = std::min(lossRate, kMaxBackgroundLoss) - m_backgroundLoss;
    m_backgroundLoss += deviation * weight;
    // Spread of the interval loss rates: bursty loss (Gilbert-Elliott) varies far more than
    // independent loss of the same mean, and that is noise too.
    m_backgroundVariance += (deviation * deviation - m_backgroundVariance) * weight;
}

void BbrController::halveBandwidth()
{
    qCDebug(lcBbr) << "heavy loss for" << kHeavyLossIntervals << "intervals: halving btl_bw";
    if (!m_hasBandwidth) {
        m_bwRounds[m_bwRoundCount % kBandwidthWindowRounds] = {m_bwRoundCount, initialBandwidth()};
        m_hasBandwidth = true;
    }
    for (RoundMax &slot : m_bwRounds)
        slot.bandwidth /= 2;
    m_bwCap /= 2;
    m_heavyLossIntervals = 0;
}

void BbrController::applyLossResponse(std::uint64_t inflightAtLoss)
{
    const std::uint64_t minimum = packetBytes(m_config.minimumWindowPackets);
    m_inflightHi = std::max(
            static_cast<std::uint64_t>(static_cast<double>(inflightAtLoss) * kLossBackoff),
            minimum);
    m_bwCap = std::max<std::uint64_t>(
            static_cast<std::uint64_t>(static_cast<double>(maxFilterBandwidth()) * kLossBackoff),
            1);
    m_capRound = m_roundCount;
    qCDebug(lcBbr) << "excess loss" << m_lastLossRate << "over" << m_backgroundLoss << "in"
                   << (m_intervalPackets + m_intervalLost) << "packets: inflight_hi" << m_inflightHi
                   << "bw_cap" << m_bwCap;
}

void BbrController::growCaps(const AckEvent &event)
{
    // Not in the round that set the cap: that round's ACKs are the ones that saw the loss.
    if (m_inflightHi == 0 || !capsMayGrow() || m_roundCount == m_capRound || m_lastVerdictExcess
        || event.ackedPackets == 0)
        return;
    m_inflightHi += m_config.maxDatagramSize;
    if (m_inflightHi
        >= static_cast<std::uint64_t>(kCwndGain * static_cast<double>(bdp())) + packetBytes(4))
        m_inflightHi = 0;
}

void BbrController::checkStartupDone(const AckEvent &event)
{
    if (m_filledPipe || event.rate.appLimited)
        return;
    const std::uint64_t bw = maxFilterBandwidth();
    if (static_cast<double>(bw) >= static_cast<double>(m_fullBandwidth) * kStartupGrowthTarget) {
        m_fullBandwidth = bw;
        m_fullBandwidthRounds = 0;
        return;
    }
    if (++m_fullBandwidthRounds >= kStartupFullRounds) {
        qCDebug(lcBbr) << "startup: bandwidth plateau at" << bw << "B/s";
        m_filledPipe = true;
    }
}

void BbrController::updateState(const AckEvent &event)
{
    switch (m_state) {
    case State::Startup:
        if (m_filledPipe)
            m_state = State::Drain;
        [[fallthrough]];
    case State::Drain:
        if (m_state == State::Drain && event.bytesInFlight <= bdp())
            enterProbeBw(event.now);
        break;
    case State::ProbeBw:
        advanceProbeBwPhase(event.now, event.bytesInFlight);
        break;
    case State::ProbeRtt:
        if (!m_probeRttDoneArmed && event.bytesInFlight <= congestionWindow()) {
            m_probeRttDone = event.now + std::max(kProbeRttDuration, minRtt());
            m_probeRttDoneArmed = true;
        } else if (m_probeRttDoneArmed && event.now >= m_probeRttDone) {
            m_minRttStamp = event.now;
            m_probeRttDoneArmed = false;
            if (m_filledPipe) {
                enterProbeBw(event.now);
            } else {
                m_state = State::Startup;
            }
        }
        break;
    }
}

void BbrController::enterProbeBw(TimePoint now)
{
    m_state = State::ProbeBw;
    // xorshift64: a random start phase, never the 0.75 one (it would drain before probing).
    m_random ^= m_random << 13;
    m_random ^= m_random >> 7;
    m_random ^= m_random << 17;
    m_phase = static_cast<std::uint32_t>(m_random % (kProbeBwGains.size() - 1));
    if (m_phase >= kProbeDownPhase)
        ++m_phase;
    m_phaseStart = now;
}

void BbrController::advanceProbeBwPhase(TimePoint now, std::uint64_t bytesInFlight)
{
    bool advance = now - m_phaseStart > minRtt();
    // The 0.75 phase only exists to drain the queue the 1.25 phase built; stop once it has.
    if (m_phase == kProbeDownPhase && bytesInFlight <= bdp())
        advance = advance || now - m_phaseStart > minRtt() / 2;
    if (!advance)
        return;
    if (m_phase == kProbeDownPhase)
        m_downPhaseEnd = now;
    m_phase = (m_phase + 1) % kProbeBwGains.size();
    m_phaseStart = now;
    if (m_phase == kProbeDownPhase) {
        m_downPhaseStart = now;
        m_downPhaseEnd = TimePoint::max();
    }
}

void BbrController::onPacketsLost(const LossEvent &event)
{
    if (event.lostPackets == 0)
        return;
    if (m_intervalLost == 0)
        m_inflightAtFirstLoss = event.priorBytesInFlight;
    m_intervalLost += event.lostPackets;
    countLowRatePackets(event.largestLostSentTime, 0, event.lostPackets);
}

void BbrController::onPersistentCongestion(TimePoint now)
{
    qCDebug(lcBbr) << "persistent congestion: back to startup";
    resetModel(now);
}

} // namespace Transfer
