// ACKs, both ends (common/transfer/ackranges.h, packet.h decodeAck, lossdetector.h):
// - the sender decodes an ACK body from the peer, expands its ranges as UploadConnection does
//   and applies them to a LossDetector holding sent packets;
// - the receiver records arrivals in AckRanges in a fuzzed order, reports its ranges through
//   encodeAck/decodeAck, and a sender that sent every one of those numbers applies them.
// Input: 1 byte sent count / 8 (at most 256), 1 byte tracked ranges, 1 byte ACK body length, the
// ACK body, then arrivals (2 bytes each: a jump relative to the last arrival). Invariants: an
// Invalid ACK changes nothing; acknowledged packets lie in the ranges; bytes in flight fall by
// exactly what was acknowledged or lost; the receiver's ranges are newest first, disjoint, start at
// its largest, contain their ends; its ACK is always valid.
#include <tests/fuzz/fuzzsupport.h>

#include <transfer/recovery/ackranges.h>
#include <transfer/recovery/lossdetector.h>
#include <transfer/wire/packet.h>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace Transfer;

namespace {

constexpr std::size_t kMaxPackets = 256; // packet numbers 0..255 exist
const TimePoint kStart = TimePoint {} + std::chrono::seconds(1000);

LossDetector makeSender(std::size_t sent)
{
    LossDetector d(LossDetectionConfig {kMaxPackets, 3, true, Duration::zero()});
    for (std::size_t pn = 0; pn < sent; ++pn) {
        SentPacket p;
        p.pn = pn;
        p.sentTime = kStart + std::chrono::microseconds(100 * pn);
        p.bytes = 1200;
        p.ackEliciting = pn % 7 != 3;
        FUZZ_CHECK(d.onPacketSent(p));
    }
    return d;
}

// Building a detector costs more than one ACK: copy prebuilt ones, by assignment into a
// working detector (`slot` 0 or 1) whose vectors keep their capacity, so an input allocates
// nothing for it.
LossDetector &senderWith(std::size_t sent, std::size_t slot)
{
    static const std::vector<LossDetector> prebuilt = [] {
        std::vector<LossDetector> all;
        for (std::size_t n = 0; n <= kMaxPackets; n += 8)
            all.push_back(makeSender(n));
        return all;
    }();
    static std::array<LossDetector, 2> working {makeSender(0), makeSender(0)};
    FUZZ_CHECK(sent % 8 == 0 && sent <= kMaxPackets && slot < working.size());
    working[slot] = prebuilt[sent / 8];
    return working[slot];
}

// Applies `ack` as UploadConnection::onAck does; returns the outcome's status (Invalid when
// the ranges do not even expand).
LossOutcome::Status applyAck(LossDetector &sender, PacketNumber nextPn, const AckBody &ack,
                             TimePoint now)
{
    std::array<PacketNumberRange, kMaxAckRanges> ranges {};
    for (std::size_t i = 0; i < ack.rangeCount; ++i) {
        const PacketNumber last = expandPacketNumber(nextPn, ack.ranges[i].last);
        if (ack.ranges[i].count > last + 1)
            return LossOutcome::Status::Invalid;
        ranges[i] = {last - ack.ranges[i].count + 1, last};
    }
    const std::span<const PacketNumberRange> used = std::span(ranges).first(ack.rangeCount);
    const std::uint64_t inFlightBefore = sender.bytesInFlight();
    const std::size_t sentBefore = sender.sentPackets().size();
    const auto largestBefore = sender.largestAcked();
    const LossOutcome &o = sender.onAck(expandPacketNumber(nextPn, ack.largest),
                                        std::chrono::microseconds(ack.ackDelayUs), used, now);
    if (o.status == LossOutcome::Status::Invalid) {
        FUZZ_CHECK(sender.bytesInFlight() == inFlightBefore);
        FUZZ_CHECK(sender.sentPackets().size() == sentBefore);
        FUZZ_CHECK(sender.largestAcked() == largestBefore);
        return o.status;
    }
    FUZZ_CHECK(o.status == LossOutcome::Status::Processed);
    FUZZ_CHECK(o.priorBytesInFlight == inFlightBefore);
    FUZZ_CHECK(sender.bytesInFlight() + o.ackedBytes + o.lostBytes == inFlightBefore);
    for (std::size_t i = 0; i < o.acked.size(); ++i) {
        const PacketNumber pn = o.acked[i].pn;
        FUZZ_CHECK(i == 0 || o.acked[i - 1].pn < pn);
        FUZZ_CHECK(std::any_of(used.begin(), used.end(),
                               [pn](const PacketNumberRange &r) { return r.contains(pn); }));
    }
    for (std::size_t i = 1; i < o.lost.size(); ++i)
        FUZZ_CHECK(o.lost[i - 1].pn < o.lost[i].pn);
    return o.status;
}

void checkReceiver(const AckRanges &receiver)
{
    std::array<PacketNumberRange, AckRanges::kMaxReportedRanges> ranges {};
    const std::size_t n = receiver.copyRanges(ranges);
    FUZZ_CHECK(n <= receiver.rangeCount() && n <= ranges.size());
    FUZZ_CHECK((n == 0) == receiver.isEmpty());
    for (std::size_t i = 0; i < n; ++i) {
        FUZZ_CHECK(ranges[i].first <= ranges[i].last);
        // Disjoint and not adjacent: adjacent runs would have been merged.
        FUZZ_CHECK(i == 0 || ranges[i].last + 1 < ranges[i - 1].first);
    }
    // contains() walks the runs: the ends of the newest and oldest reported runs suffice (every
    // run's ends made this check quadratic in the runs, most of the target's time).
    if (n > 0) {
        FUZZ_CHECK(ranges[0].last == receiver.largest());
        FUZZ_CHECK(receiver.contains(ranges[0].first) && receiver.contains(ranges[0].last));
        FUZZ_CHECK(receiver.contains(ranges[n - 1].first) && receiver.contains(ranges[n - 1].last));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Fuzz::Input in(data, size);
    const std::size_t sent = std::min<std::size_t>(std::size_t(in.u8()) * 8, kMaxPackets);
    const std::size_t trackedRanges = std::size_t(in.u8() % 128) + 1;
    const std::size_t bodyLength = in.u8();
    std::vector<std::byte> body;
    for (std::size_t i = 0; i < bodyLength && in.remaining() > 0; ++i)
        body.push_back(std::byte(in.u8()));

    // Sender: an ACK from the network.
    LossDetector &sender = senderWith(sent, 0);
    const TimePoint now = kStart + std::chrono::milliseconds(250);
    AckBody ack;
    if (decodeAck(body, &ack)) {
        FUZZ_CHECK(ack.rangeCount >= 1 && ack.rangeCount <= kMaxAckRanges);
        for (std::size_t i = 0; i < ack.rangeCount; ++i)
            FUZZ_CHECK(ack.ranges[i].count > 0);
        (void)applyAck(sender, sent, ack, now);
    }

    // Receiver: arrivals in a fuzzed order, numbers 0..kMaxPackets-1.
    AckRanges receiver(trackedRanges, std::uint64_t(in.u8()) * 16 + 1);
    PacketNumber last = 0;
    for (int i = 0; in.remaining() >= 2 && i < 256; ++i) {
        const std::uint16_t step = in.u16();
        if (step == 0xFFFF) { // a rare control input: the peer no longer waits below `last`
            receiver.forgetBelow(last);
            FUZZ_CHECK(last == 0 || !receiver.contains(last - 1));
            continue;
        }
        const std::int64_t jump = std::int64_t(step % 64) - 24; // mostly forward, some back
        last = PacketNumber(std::clamp<std::int64_t>(std::int64_t(last) + jump, 0,
                                                     std::int64_t(kMaxPackets) - 1));
        const bool had = receiver.contains(last);
        const AckRanges::Arrival a = receiver.onPacketReceived(last, now);
        FUZZ_CHECK((a == AckRanges::Arrival::Duplicate) == had || a == AckRanges::Arrival::TooOld);
        if (a == AckRanges::Arrival::InOrder || a == AckRanges::Arrival::OutOfOrder)
            FUZZ_CHECK(receiver.contains(last));
        if (i % 64 == 63)
            checkReceiver(receiver);
    }
    checkReceiver(receiver);
    if (receiver.isEmpty())
        return 0;

    // Its report, through the wire codec, is valid for a sender that sent all of it.
    std::array<PacketNumberRange, AckRanges::kMaxReportedRanges> ranges {};
    AckBody report;
    report.largest = truncatePacketNumber(receiver.largest());
    report.rangeCount = std::uint8_t(receiver.copyRanges(ranges));
    for (std::size_t i = 0; i < report.rangeCount; ++i)
        report.ranges[i] = {truncatePacketNumber(ranges[i].last), std::uint32_t(ranges[i].count())};
    std::array<std::byte, kMaxDatagramSize> datagram {};
    const std::size_t n = encodeAck(datagram, PacketHeader {PacketType::Ack, 0, 1, 0, 0}, report);
    FUZZ_CHECK(n > 0);
    const auto view = decodePacket(std::span<const std::byte>(datagram).first(n));
    FUZZ_CHECK(view.has_value());
    AckBody decoded;
    FUZZ_CHECK(decodeAck(view->body, &decoded));
    LossDetector &full = senderWith(kMaxPackets, 1);
    FUZZ_CHECK(applyAck(full, kMaxPackets, decoded, now) == LossOutcome::Status::Processed);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    auto ackBody = [](const AckBody &b) {
        std::array<std::byte, kMaxDatagramSize> d {};
        const std::size_t n = encodeAck(d, PacketHeader {PacketType::Ack, 0, 1, 0, 0}, b);
        const auto view = decodePacket(std::span<const std::byte>(d).first(n));
        FUZZ_CHECK(view.has_value());
        return toByteArray(view->body);
    };
    AckBody simple;
    simple.largest = 99;
    simple.rangeCount = 1;
    simple.ranges[0] = {99, 100};
    AckBody gaps;
    gaps.largest = 500;
    gaps.ackDelayUs = 2000;
    gaps.maxChunk = 40;
    gaps.rangeCount = 3;
    gaps.ranges[0] = {500, 10};
    gaps.ranges[1] = {480, 50};
    gaps.ranges[2] = {100, 1};
    AckBody invalid = gaps; // overlapping ranges: must be rejected whole
    invalid.ranges[1] = {495, 10};
    // Arrivals: steps of +1 (25 = jump of 1), a gap, a reordered one.
    QByteArray arrivals;
    for (int i = 0; i < 40; ++i)
        arrivals += QByteArray::fromHex(i % 9 == 4 ? "0030" : (i % 9 == 5 ? "0010" : "0019"));
    Seeds out;
    for (const auto &[name, b] :
         {std::pair {u"in-order"_s, ackBody(simple)}, std::pair {u"gaps"_s, ackBody(gaps)},
          std::pair {u"overlapping"_s, ackBody(invalid)}}) {
        QByteArray seed;
        seed += char(32); // 256 packets sent
        seed += char(16);
        seed += char(b.size());
        seed += b;
        seed += arrivals;
        out.push_back({name, seed});
    }
    return out;
}
