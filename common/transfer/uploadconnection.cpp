#include "uploadconnection.h"

#include "logging.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
// Tag of PING probes in the sent-packet record: never a unit (units are 32-bit).
constexpr std::uint64_t kPingTag = UINT64_MAX;
// A DATA packet's tag: its unit and the chunk's re-fetch generation, so an ACK of a copy sent
// before a re-fetch does not count for the copy sent after it.
constexpr std::uint64_t unitTag(std::uint32_t unit, std::uint8_t generation)
{
    return (std::uint64_t(generation) << 32) | unit;
}
constexpr std::uint32_t tagUnit(std::uint64_t tag)
{
    return std::uint32_t(tag);
}
constexpr std::uint8_t tagGeneration(std::uint64_t tag)
{
    return std::uint8_t(tag >> 32);
}

CongestionAlgorithm algorithmFromWire(std::uint8_t v)
{
    return v <= std::uint8_t(CongestionAlgorithm::FixedWindow) ? CongestionAlgorithm(v)
                                                               : CongestionAlgorithm::Bbr;
}
} // namespace

UploadConnection::UploadConnection(TransferId id, std::uint32_t localCid, const PeerAddress &peer,
                                   PacketSink &sink, TimePoint now, const HelloBody &hello,
                                   PathTable &paths)
    : Connection(id, localCid, peer, sink, now)
    , m_hello(hello)
    , m_paths(paths)
{
    m_remoteCid = hello.sourceCid;
    m_refetchCapable = hello.mode == ArqMode::SelectiveRepeat
            && (hello.headerFlags & kHelloFlagRefetch) != 0;
    m_chunkCount = chunkCount(hello.fileSize);
    if (hello.missingCount == 0)
        m_runs.push_back({0, std::uint32_t(m_chunkCount)});
    for (std::size_t i = 0; i < hello.missingCount; ++i)
        if (hello.missing[i].first < m_chunkCount)
            m_runs.push_back(
                    {hello.missing[i].first,
                     std::uint32_t(std::min<std::uint64_t>(
                             hello.missing[i].count, m_chunkCount - hello.missing[i].first))});
    const std::uint32_t first = m_runs.empty() ? 0 : m_runs.front().first;
    m_credit = first + std::max<std::uint16_t>(hello.windowChunks, 1);
    m_cursor = UnitCursor(m_runs, hello.fileSize);
    const CongestionAlgorithm algorithm = algorithmFromWire(hello.controller);
    if (hello.mode == ArqMode::GoBackN) {
        m_gbn = std::make_unique<GoBackWindow>(m_runs, hello.fileSize, kGbnWindow);
        m_ownPath = std::make_unique<PeerPath>(
                algorithm, paths.globalCap(),
                CongestionConfig {.maxDatagramSize = kMaxDatagramSize});
        m_path = m_ownPath.get();
        m_path->attach(this);
        if (hello.rateCap > 0)
            m_path->pacer().setRateCap(hello.rateCap, now);
    } else {
        m_path = &paths.join(peer, algorithm, this);
        const auto maxAckDelay = std::chrono::microseconds(hello.maxAckDelayUs);
        m_loss.rtt().setMaxAckDelay(maxAckDelay);
        m_path->rtt().setMaxAckDelay(maxAckDelay);
        if (hello.rateCap > 0)
            m_rateCap.configure(hello.rateCap,
                                Pacer::burstBytesFor(hello.rateCap, kMaxDatagramSize), now);
    }
    m_nextPn = 0;
    m_state = State::Established;
}

UploadConnection::~UploadConnection()
{
    if (m_ownPath)
        m_ownPath->detach(this);
    else
        m_paths.leave(m_peer, this);
}

bool UploadConnection::open(const FileOffer &offer, QString *error)
{
    m_offer = offer;
    return m_source.open(offer.path, offer.size, error);
}

void UploadConnection::secure(const AcceptBody &accept,
                              std::unique_ptr<PacketProtection> protection)
{
    m_accept = accept;
    m_encrypted = protection != nullptr;
    setProtection(std::move(protection));
}

void UploadConnection::sendAccept(TimePoint now)
{
    PacketHeader h;
    h.type = PacketType::Accept;
    h.destinationCid = m_remoteCid;
    h.timestampUs = timestampUs(now);
    // Bypasses send(): the ACCEPT is the last packet in the clear.
    if (const std::size_t n = encodeAccept(m_buffer, h, m_accept))
        m_sink.transmit(std::span(m_buffer).first(n), m_peer);
}

UploadConnection::ChunkInFlight *UploadConnection::loadChunk(std::uint32_t chunk)
{
    if (auto it = m_chunks.find(chunk); it != m_chunks.end())
        return &it->second;
    ChunkInFlight c;
    if (!m_source.readChunk(chunk, &c.data, &c.sha256)) {
        fail(TransferError::Disk, u"cannot read chunk %1 of %2"_s.arg(chunk).arg(m_offer.path));
        return nullptr;
    }
    const std::uint32_t units = blocksInChunk(chunk, m_hello.fileSize) + 1;
    c.acked.assign(units, false);
    c.remaining = units;
    return &m_chunks.emplace(chunk, std::move(c)).first->second;
}

std::size_t UploadConnection::encodeUnit(std::uint32_t unit, TimePoint now, std::uint16_t flags)
{
    const std::uint32_t chunk = unitChunk(unit);
    const std::uint32_t index = unitIndex(unit);
    ChunkInFlight *c = loadChunk(chunk);
    if (!c)
        return 0;
    const std::uint8_t generation = generationOf(chunk);
    std::span<const std::byte> payload;
    if (index == 0) {
        payload = c->sha256;
    } else {
        const std::size_t offset = std::size_t(index - 1) * kBlockSize;
        payload = std::span(reinterpret_cast<const std::byte *>(c->data.constData()) + offset,
                            blockLength(chunk, index - 1, m_hello.fileSize));
        if (m_corruptForTesting && m_corruptForTesting->chunk == chunk && index == 1
            && generation < m_corruptForTesting->generations) {
            // After the checksum's reach: the receiver's chunk hash must catch it.
            std::copy(payload.begin(), payload.end(), m_corruptBlock.begin());
            m_corruptBlock[0] ^= std::byte {0x5A};
            payload = std::span<const std::byte>(m_corruptBlock).first(payload.size());
        }
    }
    PacketHeader h = header(PacketType::Data);
    h.flags = std::uint16_t(flags | (std::uint16_t(generation) << kGenerationShift));
    h.timestampUs = timestampUs(now);
    return encodeData(m_buffer, h, unit, payload);
}

std::uint32_t UploadConnection::sendUnit(std::uint32_t unit, TimePoint now, bool probe,
                                         bool retransmit)
{
    const PacketNumber pn = m_nextPn;
    const std::size_t n = encodeUnit(unit, now, retransmit ? kFlagRetransmit : 0);
    if (n == 0)
        return 0;
    const DeliverySnapshot snap = m_path->onPacketSent(now, std::uint32_t(n), probe);
    if (!probe)
        m_rateCap.consume(n, now);
    if (m_gbn) {
        m_gbn->onSent({unit, now, snap, std::uint32_t(n)});
        if (m_gbn->outstanding() == 1)
            m_gbnDeadline = now + m_path->rtt().retransmissionTimeout(m_gbnBackoff);
    } else {
        SentPacket sp;
        sp.pn = pn;
        sp.sentTime = now;
        sp.tag = unitTag(unit, generationOf(unitChunk(unit)));
        sp.delivery = snap;
        sp.bytes = std::uint32_t(n);
        m_loss.onPacketSent(sp);
    }
    if (!m_sentAny || unit > m_highestSentUnit)
        m_highestSentUnit = unit;
    m_sentAny = true;
    ++m_packetsSent;
    ++m_dataSent;
    m_lastSend = now;
    if (retransmit)
        ++m_retransmissions;
    send(n);
    return std::uint32_t(n);
}

void UploadConnection::onPacket(const PacketView &packet, TimePoint now)
{
    m_lastHeard = now;
    ++m_packetsReceived;
    switch (packet.header.type) {
    case PacketType::Ack:
        if (!m_gbn) {
            onAck(packet.body, now);
            if (packet.header.flags & kAckFlagComplete)
                m_receiverComplete = true;
        }
        break;
    case PacketType::Refetch:
        if (!m_gbn && m_refetchCapable)
            onRefetch(packet.body);
        else
            ++m_malformed;
        break;
    case PacketType::AckGbn:
        if (m_gbn)
            onAckGbn(packet.body, now);
        break;
    case PacketType::Close:
        if (m_state == State::Established)
            fail(TransferError::Cancelled, u"the downloader closed the transfer"_s);
        break;
    default:
        ++m_malformed;
        break;
    }
    checkDone(now);
}

std::uint8_t UploadConnection::generationOf(std::uint32_t chunk) const
{
    const auto it = m_generations.find(chunk);
    return it == m_generations.end() ? 0 : it->second;
}

void UploadConnection::markAcked(std::uint32_t unit, std::uint8_t generation)
{
    const std::uint32_t chunk = unitChunk(unit);
    const std::uint32_t index = unitIndex(unit);
    if (generation != generationOf(chunk))
        return; // a copy from before a re-fetch: the receiver threw it away
    auto it = m_chunks.find(chunk);
    if (it == m_chunks.end() || index >= it->second.acked.size() || it->second.acked[index])
        return;
    it->second.acked[index] = true;
    if (index > 0)
        m_ackedBytes += blockLength(chunk, index - 1, m_hello.fileSize);
    if (--it->second.remaining == 0)
        m_chunks.erase(it);
}

void UploadConnection::onAck(std::span<const std::byte> body, TimePoint now)
{
    AckBody ack;
    if (!decodeAck(body, &ack)) {
        ++m_malformed;
        return;
    }
    std::array<PacketNumberRange, kMaxAckRanges> ranges {};
    for (std::size_t i = 0; i < ack.rangeCount; ++i) {
        const PacketNumber last = expandPacketNumber(m_nextPn, ack.ranges[i].last);
        if (ack.ranges[i].count > last + 1) {
            ++m_malformed;
            return;
        }
        ranges[i] = {last - ack.ranges[i].count + 1, last};
    }
    const PacketNumber largest = expandPacketNumber(m_nextPn, ack.largest);
    const auto ackDelay = std::chrono::microseconds(ack.ackDelayUs);
    const LossOutcome &outcome
            = m_loss.onAck(largest, ackDelay, std::span(ranges).first(ack.rangeCount), now);
    if (outcome.status == LossOutcome::Status::Invalid) {
        ++m_malformed;
        return;
    }
    m_credit = std::max(m_credit,
                        std::min<std::uint32_t>(ack.maxChunk, std::uint32_t(m_chunkCount)));
    applyOutcome(outcome, ackDelay, now);
}

void UploadConnection::applyOutcome(const LossOutcome &outcome, Duration ackDelay, TimePoint now)
{
    // The path's RTT (read by its controller) takes every member's samples.
    if (outcome.rttUpdated)
        m_path->rtt().addSample(m_loss.rtt().latestRtt(), ackDelay);
    for (const SentPacket &p : outcome.acked) {
        m_path->rate().onPacketAcked(p.delivery, p.sentTime, p.bytes, now);
        if (p.tag != kPingTag)
            markAcked(tagUnit(p.tag), tagGeneration(p.tag));
    }
    for (const SentPacket &p : outcome.spurious)
        if (p.tag != kPingTag)
            markAcked(tagUnit(p.tag), tagGeneration(p.tag));
    if (!outcome.acked.empty())
        m_path->onAcked(now, outcome.ackedBytes, std::uint32_t(outcome.acked.size()),
                        outcome.priorBytesInFlight, m_loss.bytesInFlight(),
                        outcome.largestAckedSentTime, outcome.rttUpdated);
    if (!outcome.lost.empty()) {
        for (const SentPacket &p : outcome.lost)
            if (p.tag != kPingTag)
                m_retransmit.push_back(tagUnit(p.tag));
        m_lostPackets += outcome.lost.size();
        m_path->onLost(now, outcome.lostBytes, std::uint32_t(outcome.lost.size()),
                       outcome.priorBytesInFlight, m_loss.bytesInFlight(),
                       outcome.largestLostSentTime);
    }
    if (outcome.persistentCongestion)
        m_path->onPersistentCongestion(now);
    if (!outcome.spurious.empty()) {
        m_spurious += outcome.spurious.size();
        m_path->onSpuriousLoss(now);
    }
    if (outcome.status == LossOutcome::Status::Probe)
        m_probes = std::max(m_probes, outcome.probes);
}

bool UploadConnection::isUnacked(std::uint32_t unit) const
{
    const auto it = m_chunks.find(unitChunk(unit));
    return it != m_chunks.end() && unitIndex(unit) < it->second.acked.size()
            && !it->second.acked[unitIndex(unit)];
}

bool UploadConnection::nextSrUnit(std::uint32_t *unit, bool *retransmit)
{
    while (!m_retransmit.empty()) {
        const std::uint32_t u = m_retransmit.front();
        m_retransmit.pop_front();
        if (isUnacked(u)) {
            *unit = u;
            *retransmit = true;
            return true;
        }
    }
    if (m_cursor.atEnd() || m_cursor.chunk() >= m_credit)
        return false;
    *unit = m_cursor.unit();
    *retransmit = false;
    m_cursor.advance();
    return true;
}

bool UploadConnection::hasSendableData() const
{
    if (m_gbn)
        return m_gbn->windowOpen() && m_gbn->nextChunk() < m_credit;
    return !m_retransmit.empty() || (!m_cursor.atEnd() && m_cursor.chunk() < m_credit);
}

void UploadConnection::sendPing(TimePoint now)
{
    PacketHeader h = header(PacketType::Ping);
    h.timestampUs = timestampUs(now);
    const std::size_t n = encodeEmpty(m_buffer, h);
    SentPacket sp;
    sp.pn = m_nextPn - 1;
    sp.sentTime = now;
    sp.tag = kPingTag;
    sp.bytes = std::uint32_t(n);
    sp.delivery = m_path->rate().onPacketSent(now, m_path->bytesInFlight());
    m_loss.onPacketSent(sp);
    ++m_packetsSent;
    m_lastSend = now;
    send(n);
}

void UploadConnection::serviceSr(TimePoint now)
{
    if (const auto deadline = m_loss.timerDeadline(); deadline && *deadline <= now)
        applyOutcome(m_loss.onTimeout(now), Duration::zero(), now);
    // The PTO backs off exponentially; under long loss bursts that would leave the path
    // silent for longer than the idle timeout. Probe at least every kMaxProbeInterval.
    if (m_loss.bytesInFlight() > 0 && now - m_lastSend >= kMaxProbeInterval)
        m_probes = std::max(m_probes, 1u);
    // Probes bypass the path's window, pacer and DRR turn; everything else is sent when the
    // path gives this connection a turn (sendNext()).
    while (m_probes > 0 && m_state == State::Established && m_loss.canSend()) {
        --m_probes;
        std::uint32_t unit = 0;
        bool retransmit = false;
        if (nextSrUnit(&unit, &retransmit)) {
            if (sendUnit(unit, now, true, retransmit) == 0)
                break;
            continue;
        }
        const SentPacket *oldest = m_loss.oldestOutstanding();
        // Resend the oldest unit only while it is still unacknowledged (a copy under another
        // packet number may have been acknowledged); reloading a finished chunk would keep
        // the upload from ever completing.
        if (!oldest || oldest->tag == kPingTag || !isUnacked(tagUnit(oldest->tag))
            || sendUnit(tagUnit(oldest->tag), now, true, true) == 0)
            sendPing(now);
    }
}

std::optional<TimePoint> UploadConnection::sendableAt(TimePoint now) const
{
    if (m_gbn || m_state != State::Established || !m_loss.canSend() || !hasSendableData())
        return std::nullopt;
    return m_rateCap.timeUntilAvailable(kMaxDatagramSize, now);
}

std::uint32_t UploadConnection::sendNext(TimePoint now)
{
    if (m_gbn || m_state != State::Established || !m_loss.canSend())
        return 0;
    std::uint32_t unit = 0;
    bool retransmit = false;
    if (!nextSrUnit(&unit, &retransmit))
        return 0;
    return sendUnit(unit, now, false, retransmit);
}

std::uint64_t UploadConnection::bytesInFlight() const
{
    return m_gbn ? m_gbn->bytesInFlight() : m_loss.bytesInFlight();
}

void UploadConnection::onRefetch(std::span<const std::byte> body)
{
    RefetchBody request;
    if (!decodeRefetch(body, &request) || request.chunk >= m_chunkCount) {
        ++m_malformed;
        return;
    }
    const std::uint32_t chunk = request.chunk;
    const std::uint8_t current = generationOf(chunk);
    if (request.generation <= current)
        return; // a repeat of a request already served
    // Only a chunk that was offered, sent in full, and asked for one generation further.
    const bool requested = std::any_of(m_runs.begin(), m_runs.end(), [chunk](const ChunkRun &r) {
        return chunk >= r.first && chunk - r.first < r.count;
    });
    const bool sent = m_cursor.atEnd() || m_cursor.chunk() > chunk;
    if (!requested || !sent || request.generation != current + 1
        || request.generation >= kMaxChunkGenerations) {
        ++m_malformed;
        return;
    }
    m_generations[chunk] = request.generation;
    // A chunk acknowledged in full was dropped: read it again; all its bytes were counted.
    const bool wasComplete = !m_chunks.contains(chunk);
    ChunkInFlight *c = loadChunk(chunk);
    if (!c)
        return;
    if (wasComplete)
        m_ackedBytes -= chunkLength(chunk, m_hello.fileSize);
    for (std::size_t i = 1; i < c->acked.size(); ++i)
        if (c->acked[i])
            m_ackedBytes -= blockLength(chunk, std::uint32_t(i - 1), m_hello.fileSize);
    std::fill(c->acked.begin(), c->acked.end(), false);
    c->remaining = std::uint32_t(c->acked.size());
    // Every unit again, even those acknowledged: the receiver discarded the whole chunk.
    for (std::uint32_t i = 0; i < c->acked.size(); ++i)
        m_retransmit.push_back(makeUnit(chunk, i));
    ++m_chunksRefetched;
    qCDebug(lcTransfer) << "upload" << m_id << "re-sends chunk" << chunk << "generation"
                        << request.generation;
}

void UploadConnection::service(TimePoint now)
{
    if (m_state != State::Established)
        return;
    if (now - m_lastHeard > kIdleTimeout) {
        qCDebug(lcTransfer) << "upload" << m_id << "idle: pto" << m_loss.ptoCount() << "inflight"
                            << m_loss.bytesInFlight() << "cwnd"
                            << m_path->controller().congestionWindow() << "retx"
                            << m_retransmit.size() << "credit" << m_credit << "chunks"
                            << m_chunks.size() << "malformed" << m_malformed << "sent"
                            << m_loss.sentPackets().size() << "deadline"
                            << bool(m_loss.timerDeadline()) << "probes" << m_probes;
        fail(TransferError::PeerGone, u"the downloader stopped answering"_s);
        return;
    }
    if (m_gbn)
        serviceGbn(now);
    else
        serviceSr(now);
    checkDone(now);
}

void UploadConnection::checkDone(TimePoint now)
{
    if (m_state != State::Established)
        return;
    // A downloader that can re-fetch may still find a bad chunk after everything was
    // acknowledged: wait for its word that every chunk is verified.
    const bool done = m_gbn
            ? m_gbn->allAcked()
            : (m_cursor.atEnd() && m_chunks.empty() && (!m_refetchCapable || m_receiverComplete));
    if (!done)
        return;
    qCDebug(lcTransfer) << "upload" << m_id << "done:" << m_ackedBytes << "bytes in"
                        << std::chrono::duration<double>(now - m_start).count() << "s, sent"
                        << m_packetsSent << "lost" << m_lostPackets << "retransmitted"
                        << m_retransmissions << "spurious" << m_spurious << "pto"
                        << m_loss.ptoCount();
    sendClose(now);
    TransferResult r;
    r.direction = TransferDirection::Upload;
    r.path = m_offer.path;
    r.bytes = m_ackedBytes;
    r.totalBytes = m_hello.fileSize;
    r.seconds = std::chrono::duration<double>(now - m_start).count();
    r.sha256 = m_offer.sha256;
    r.stats = stats(now);
    finish(std::move(r));
}

std::optional<TimePoint> UploadConnection::nextDeadline(TimePoint now) const
{
    if (m_state != State::Established)
        return std::nullopt;
    std::optional<TimePoint> d = m_lastHeard + kIdleTimeout;
    auto consider = [&d](TimePoint t) { d = std::min(*d, t); };
    if (m_gbn) {
        if (m_gbn->outstanding() > 0)
            consider(m_gbnDeadline);
    } else {
        if (const auto t = m_loss.timerDeadline())
            consider(*t);
        if (m_loss.bytesInFlight() > 0)
            consider(m_lastSend + kMaxProbeInterval);
    }
    if (m_probes > 0)
        consider(now);
    // Selective Repeat sends when its PeerPath gives it a turn (the path's own deadline).
    if (m_gbn && hasSendableData())
        consider(m_path->pacer().nextSendTime(now));
    return d;
}

TransferStats UploadConnection::stats(TimePoint now) const
{
    TransferStats s;
    s.direction = TransferDirection::Upload;
    s.totalBytes = m_hello.fileSize;
    s.doneBytes = m_ackedBytes;
    fillCommonStats(s, now);
    const RttEstimator &rtt = m_gbn ? m_path->rtt() : m_loss.rtt();
    s.rttUs = quint64(
            std::chrono::duration_cast<std::chrono::microseconds>(rtt.smoothedRtt()).count());
    s.minRttUs
            = quint64(std::chrono::duration_cast<std::chrono::microseconds>(rtt.minRtt()).count());
    s.pacingRate = m_path->pacer().effectiveRate(); // the path's: shared with its other transfers
    if (!m_rateCap.isUnlimited())
        s.pacingRate = std::min<quint64>(s.pacingRate, m_rateCap.rate());
    s.congestionWindow = m_path->controller().congestionWindow();
    s.bytesInFlight = bytesInFlight();
    s.packetsLost = m_lostPackets;
    s.retransmissions = m_retransmissions;
    s.dataPackets = m_dataSent;
    s.spuriousRetransmissions = m_spurious;
    s.chunksRefetched = m_chunksRefetched;
    s.controllerState = QString(m_path->controller().name()) + u'/'
            + QString(m_path->controller().stateName());
    return s;
}

} // namespace Transfer
