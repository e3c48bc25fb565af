#include <transfer/connection/uploadconnection.h>

#include <transfer/connection/gobacknsender.h>
#include <transfer/connection/selectiverepeatsender.h>
#include <transfer/io/transferlogging.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
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
{
    m_remoteCid = hello.sourceCid;
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
    const SenderSetup setup {.runs = m_runs,
                             .fileSize = hello.fileSize,
                             .algorithm = algorithmFromWire(hello.controller),
                             .rateCap = hello.rateCap,
                             .maxAckDelay = std::chrono::microseconds(hello.maxAckDelayUs),
                             .start = m_start};
    SenderHost &host = *this; // a private base: converted here, not in make_unique
    // The only place the mode matters: from here on the strategy knows it.
    if (hello.mode == ArqMode::GoBackN)
        m_sender = std::make_unique<GoBackNSender>(host, setup, paths, peer, now);
    else
        m_sender = std::make_unique<SelectiveRepeatSender>(host, setup, paths, peer, now);
    m_refetchCapable = m_sender->canRefetch() && (hello.headerFlags & kHelloFlagRefetch) != 0;
    m_nextPn = 0;
    m_state = State::Established;
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

SentDatagram UploadConnection::sendUnit(std::uint32_t unit, TimePoint now, bool retransmit)
{
    const PacketNumber pn = m_nextPn;
    const std::size_t n = encodeUnit(unit, now, retransmit ? kFlagRetransmit : 0);
    if (n == 0)
        return {};
    if (!m_highestSentUnit || unit > *m_highestSentUnit) {
        m_highestSentUnit = unit;
        if (unitIndex(unit) > 0) // a first copy: what the rate cap lets out, ACKs or not
            m_sentBytes += blockLength(unitChunk(unit), unitIndex(unit) - 1, m_hello.fileSize);
    }
    ++m_packetsSent;
    ++m_dataSent;
    if (retransmit)
        ++m_retransmissions;
    send(n);
    return {pn, std::uint32_t(n), generationOf(unitChunk(unit))};
}

SentDatagram UploadConnection::sendPing(TimePoint now)
{
    PacketHeader h = header(PacketType::Ping);
    h.timestampUs = timestampUs(now);
    const std::size_t n = encodeEmpty(m_buffer, h);
    ++m_packetsSent;
    send(n);
    return {m_nextPn - 1, std::uint32_t(n), 0};
}

void UploadConnection::onPacket(const PacketView &packet, TimePoint now)
{
    m_lastHeard = now;
    ++m_packetsReceived;
    switch (packet.header.type) {
    case PacketType::Ack:
    case PacketType::AckGbn:
        // The other mode's acknowledgements are ignored, not counted as malformed.
        if (packet.header.type != m_sender->ackType())
            break;
        if (!m_sender->onAck(packet.body, now))
            ++m_malformed;
        // Read only by a re-fetching (Selective Repeat) upload, which checkDone() waits on.
        if (packet.header.flags & kAckFlagComplete)
            m_receiverComplete = true;
        break;
    case PacketType::Refetch:
        if (m_refetchCapable)
            onRefetch(packet.body);
        else
            ++m_malformed;
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

void UploadConnection::unitAcked(std::uint32_t unit, std::uint8_t generation)
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

void UploadConnection::chunksAckedBefore(std::uint32_t nextUnit)
{
    for (auto it = m_chunks.begin(); it != m_chunks.end();) {
        if (nextUnit == UINT32_MAX || makeUnit(it->first + 1, 0) <= nextUnit) {
            for (std::size_t i = 1; i < it->second.acked.size(); ++i)
                if (!it->second.acked[i])
                    m_ackedBytes += blockLength(it->first, std::uint32_t(i - 1), m_hello.fileSize);
            it = m_chunks.erase(it);
        } else {
            ++it;
        }
    }
}

bool UploadConnection::isUnacked(std::uint32_t unit) const
{
    const auto it = m_chunks.find(unitChunk(unit));
    return it != m_chunks.end() && unitIndex(unit) < it->second.acked.size()
            && !it->second.acked[unitIndex(unit)];
}

void UploadConnection::raiseCredit(std::uint32_t maxChunk)
{
    m_credit = std::max(m_credit, std::min<std::uint32_t>(maxChunk, std::uint32_t(m_chunkCount)));
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
    if (!requested || !m_sender->hasSentChunk(chunk) || request.generation != current + 1
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
    m_sender->resendChunk(chunk, std::uint32_t(c->acked.size()));
    ++m_chunksRefetched;
    qCDebug(lcTransfer) << "upload" << m_id << "re-sends chunk" << chunk << "generation"
                        << request.generation;
}

void UploadConnection::service(TimePoint now)
{
    if (m_state != State::Established)
        return;
    if (now - m_lastHeard > kIdleTimeout) {
        const SenderDiagnostics d = m_sender->diagnostics();
        qCDebug(lcTransfer) << "upload" << m_id << "idle: pto" << d.ptoCount << "inflight"
                            << d.detectorBytesInFlight << "cwnd"
                            << m_sender->path().controller().congestionWindow() << "retx"
                            << d.queuedRetransmissions << "credit" << m_credit << "chunks"
                            << m_chunks.size() << "malformed" << m_malformed << "sent"
                            << d.sentRecords << "deadline" << d.lossTimerArmed << "probes"
                            << d.pendingProbes;
        fail(TransferError::PeerGone, u"the downloader stopped answering"_s);
        return;
    }
    m_sender->service(now);
    checkDone(now);
}

void UploadConnection::checkDone(TimePoint now)
{
    if (m_state != State::Established)
        return;
    // A downloader that can re-fetch may still find a bad chunk after everything was
    // acknowledged: wait for its word that every chunk is verified.
    if (!m_sender->allAcked() || (m_refetchCapable && !m_receiverComplete))
        return;
    const SenderDiagnostics d = m_sender->diagnostics();
    qCDebug(lcTransfer) << "upload" << m_id << "done:" << m_ackedBytes << "bytes in"
                        << std::chrono::duration<double>(now - m_start).count() << "s, sent"
                        << m_packetsSent << "lost" << d.lostPackets << "retransmitted"
                        << m_retransmissions << "spurious" << d.spuriousLosses << "pto"
                        << d.ptoCount;
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
    const TimePoint idle = m_lastHeard + kIdleTimeout;
    const std::optional<TimePoint> sender = m_sender->nextDeadline(now);
    return sender ? std::min(idle, *sender) : idle;
}

TransferStats UploadConnection::stats(TimePoint now) const
{
    TransferStats s;
    s.direction = TransferDirection::Upload;
    s.totalBytes = m_hello.fileSize;
    s.doneBytes = m_ackedBytes;
    s.sentBytes = m_sentBytes;
    fillCommonStats(s, now);
    const RttEstimator &rtt = m_sender->rtt();
    s.rttUs = quint64(
            std::chrono::duration_cast<std::chrono::microseconds>(rtt.smoothedRtt()).count());
    s.minRttUs
            = quint64(std::chrono::duration_cast<std::chrono::microseconds>(rtt.minRtt()).count());
    s.pacingRate = m_sender->pacingRate();
    const CongestionController &controller = m_sender->path().controller();
    s.congestionWindow = controller.congestionWindow();
    s.bytesInFlight = m_sender->bytesInFlight();
    const SenderDiagnostics d = m_sender->diagnostics();
    s.packetsLost = d.lostPackets;
    s.retransmissions = m_retransmissions;
    s.dataPackets = m_dataSent;
    s.spuriousRetransmissions = d.spuriousLosses;
    s.chunksRefetched = m_chunksRefetched;
    s.controllerState = QString(controller.name()) + u'/' + QString(controller.stateName());
    return s;
}

} // namespace Transfer
