#include <transfer/connection/downloadconnection.h>

#include <transfer/connection/handshakecrypto.h>
#include <transfer/io/transferlogging.h>
#include <transfer/wire/randombytes.h>

#include <crypto/sha256.h>

#include <QRandomGenerator>
#include <QStringList>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {
constexpr quint64 kFastAckPackets = 100;

template<std::size_t N>
void copyBytes(std::array<std::byte, N> &out, const QByteArray &in)
{
    out.fill(std::byte {0});
    std::memcpy(out.data(), in.constData(), std::min<std::size_t>(N, std::size_t(in.size())));
}
} // namespace

DownloadConnection::DownloadConnection(TransferId id, std::uint32_t localCid,
                                       const PeerAddress &peer, PacketSink &sink, TimePoint now,
                                       DownloadRequest request)
    : Connection(id, localCid, peer, sink, now)
    , m_request(std::move(request))
    , m_prober(m_request.candidates, peer)
{
    m_peer = m_prober.peer();
    if (const CandidateProber::Probe *only = m_prober.winner())
        setPath(pathKindOf(only->kind)); // one address: nothing to choose
    const auto token = std::as_bytes(
            std::span(m_request.token.constData(), std::size_t(m_request.token.size())));
    m_punchId = punchIdForToken(token);
}

bool DownloadConnection::acceptsFrom(const PeerAddress &from) const
{
    return isProbing() ? isCandidate(from) : from == m_peer;
}

void DownloadConnection::onPacketFrom(const PacketView &packet, const PeerAddress &from,
                                      TimePoint now)
{
    // The first candidate to answer the handshake becomes the path; the others stop.
    if (isProbing()) {
        if (const CandidateProber::Probe *won = m_prober.onAnswerFrom(from)) {
            m_peer = won->address;
            setPath(pathKindOf(won->kind));
            qCDebug(lcTransfer) << "download" << m_id << "path" << pathKindName(path()) << "via"
                                << from.toString();
        }
    }
    onPacket(packet, now);
}

void DownloadConnection::addCandidate(const PeerAddress &address, CandidateKind kind, TimePoint now)
{
    if (!isProbing() || !m_prober.addCandidate(address, kind))
        return;
    // Answer the uploader's punch at once: its NAT mapping towards us is open now.
    PacketHeader hdr;
    hdr.type = PacketType::Hello;
    hdr.flags = m_hello.headerFlags; // signed: must be what sendHello() sends
    hdr.timestampUs = timestampUs(now);
    m_prober.noteExtraHelloSent(now);
    if (const std::size_t n = encodeHello(m_buffer, hdr, m_hello)) {
        m_sink.transmit(std::span(m_buffer).first(n), address);
        ++m_packetsSent;
    }
}

void DownloadConnection::raceCandidate(const PeerAddress &address, CandidateKind kind,
                                       TimePoint now, TimePoint answerBy)
{
    if (!isProbing())
        return;
    addCandidate(address, kind, now);
    m_prober.waitForRacedCandidate(now, answerBy);
}

bool DownloadConnection::start(TimePoint now)
{
    m_prober.start(now, m_request.options.handshakeTimeout);
    Digest32 sha {};
    copyBytes(sha, m_request.sha256);
    QString error;
    if (!m_store.open(m_request.destination, m_request.size, sha, &error)) {
        fail(TransferError::Disk, error);
        return false;
    }
    m_resumedBytes = m_store.presentBytes();
    m_runs = m_store.missingRuns(kMaxMissingRanges);
    m_hasher = std::make_unique<FileHasher>(m_request.destination + u".part"_s);
    while (m_lowestMissing < m_store.chunkCount() && m_store.hasChunk(m_lowestMissing))
        ++m_lowestMissing;
    m_hasher->advanceTo(std::min<std::uint64_t>(chunkOffset(m_lowestMissing), m_request.size));
    m_expected = UnitCursor(m_runs, m_request.size);
    if (m_store.isComplete()) {
        requestVerification(now);
        return true;
    }
    HelloBody &h = m_hello;
    h.sourceCid = m_localCid;
    fillRandom(h.nonce);
    h.mode = m_request.options.mode;
    h.controller = std::uint8_t(m_request.options.controller);
    h.windowChunks = std::max<quint16>(m_request.options.windowChunks, 1);
    h.maxAckDelayUs = std::uint32_t(std::chrono::microseconds(kMaxAckDelay).count());
    h.rateCap = m_request.options.rateCap;
    copyBytes(m_token, m_request.token);
    h.fileSize = m_request.size;
    h.fileSha256 = sha;
    h.missingCount = std::uint16_t(m_runs.size());
    if (h.mode == ArqMode::SelectiveRepeat)
        h.headerFlags = kHelloFlagRefetch;
    std::copy(m_runs.begin(), m_runs.end(), h.missing.begin());
    m_encrypted = !m_request.options.plain;
    if (!m_encrypted)
        h.headerFlags |= kHelloFlagPlain;
    h.aead = std::uint8_t(m_request.options.cipher);
    m_ephemeral = Crypto::X25519KeyPair::generate();
    if (!m_identity || !m_ephemeral.isValid()) {
        fail(TransferError::PeerIdentity, u"no key to sign the handshake with"_s);
        return false;
    }
    copyBytes(h.ephemeralKey, m_ephemeral.publicKey());
    signHelloNow();
    sendHello(now);
    return true;
}

void DownloadConnection::signHelloNow()
{
    signHello(m_hello, m_token, *m_identity);
}

QString DownloadConnection::takeAccept(const AcceptBody &a)
{
    const QByteArray uploaderKey = toByteArray(a.identityKey);
    if (!m_request.uploaderKey.isEmpty() && uploaderKey != m_request.uploaderKey)
        return u"the uploader signed with %1, the offer names %2"_s.arg(
                Crypto::IdentityKey::fingerprintOf(uploaderKey),
                Crypto::IdentityKey::fingerprintOf(m_request.uploaderKey));
    if (!acceptSignatureValid(a, m_hello))
        return u"the uploader's handshake signature does not verify"_s;
    if (m_encrypted) {
        const auto algorithm = Crypto::AeadAlgorithm(m_hello.aead);
        const auto shared = m_ephemeral.derive(toByteArray(a.ephemeralKey));
        const auto secrets = shared
                ? deriveSessionSecrets(algorithm, *shared, m_token, transcriptHash(m_hello, a))
                : std::nullopt;
        auto protection = std::make_unique<PacketProtection>();
        if (!secrets
            || !protection->init(algorithm, secrets->downloaderToUploader,
                                 secrets->uploaderToDownloader))
            return u"the uploader's key share is unusable"_s;
        setProtection(std::move(protection));
    }
    m_ephemeral = Crypto::X25519KeyPair(); // forward secrecy: the private key is not kept
    return {};
}

void DownloadConnection::sendHello(TimePoint now)
{
    PacketHeader hdr;
    hdr.type = PacketType::Hello;
    hdr.flags = m_hello.headerFlags;
    hdr.timestampUs = timestampUs(now);
    if (const std::size_t n = encodeHello(m_buffer, hdr, m_hello)) {
        // While probing, every candidate at once (docs/NAT.md); then only the chosen path.
        // Never sealed: the keys come with the ACCEPT.
        for (const CandidateProber::Probe &p : m_prober.helloTargets()) {
            m_sink.transmit(std::span(m_buffer).first(n), p.address);
            ++m_packetsSent;
        }
    }
    m_prober.onHelloSent(now);
}

void DownloadConnection::onPacket(const PacketView &packet, TimePoint now)
{
    m_lastHeard = now;
    ++m_packetsReceived;
    switch (packet.header.type) {
    case PacketType::Challenge:
    case PacketType::Accept:
    case PacketType::Refuse:
        onHandshake(packet, now);
        break;
    case PacketType::Data:
        if (m_state == State::Established || m_state == State::Verifying
            || m_state == State::Lingering)
            onData(packet, now);
        break;
    case PacketType::Ping:
        // A probe: acknowledge it at once so the uploader learns the path is alive.
        if (m_state != State::Handshake && m_request.options.mode == ArqMode::SelectiveRepeat) {
            const PacketNumber expected = m_ackRanges.isEmpty() ? 0 : m_ackRanges.largest() + 1;
            m_ackRanges.onPacketReceived(expandPacketNumber(expected, packet.header.packetNumber),
                                         now);
            sendAck(now);
        }
        break;
    case PacketType::Close:
        if (m_state == State::Lingering)
            m_lingerUntil = now;
        else if (m_state == State::Established)
            fail(TransferError::PeerGone, u"the uploader closed the transfer"_s);
        break;
    default:
        ++m_malformed;
        break;
    }
}

void DownloadConnection::takeHandshakeRtt(TimePoint now)
{
    if (const std::optional<Duration> rtt = m_prober.takeRttSample(now))
        m_rtt.addHandshakeSample(*rtt);
}

void DownloadConnection::onHandshake(const PacketView &packet, TimePoint now)
{
    if (m_state != State::Handshake)
        return; // a late copy of the handshake
    if (packet.header.type == PacketType::Challenge) {
        Cookie cookie {};
        if (!decodeChallenge(packet.body, &cookie)) {
            ++m_malformed;
            return;
        }
        takeHandshakeRtt(now);
        m_hello.cookie = cookie;
        signHelloNow(); // the signature covers the cookie
        m_prober.restartBackoff();
        sendHello(now);
    } else if (packet.header.type == PacketType::Accept) {
        AcceptBody a;
        if (!decodeAccept(packet.body, &a) || a.nonce != m_hello.nonce
            || a.fileSize != m_request.size) {
            ++m_malformed;
            return;
        }
        if (const QString why = takeAccept(a); !why.isEmpty()) {
            // Anyone who saw the HELLO can answer it, so an ACCEPT that does not prove the
            // uploader is dropped and the real one may still come; the timeout names it.
            ++m_malformed;
            m_rejectedAccept = why;
            return;
        }
        takeHandshakeRtt(now);
        m_remoteCid = a.sourceCid;
        m_state = State::Established;
    } else {
        RefuseBody r;
        if (!decodeRefuse(packet.body, &r)) {
            ++m_malformed;
            return;
        }
        switch (r.reason) {
        case RefuseReason::Busy:
            fail(TransferError::Busy, u"the uploader has no free slot"_s);
            break;
        case RefuseReason::Content:
            fail(TransferError::Content, u"the uploader does not have that file"_s);
            break;
        case RefuseReason::Plain:
            fail(TransferError::Refused, u"the uploader only sends encrypted"_s);
            break;
        case RefuseReason::Version:
            fail(TransferError::Refused, u"the uploader speaks another transfer version"_s);
            break;
        case RefuseReason::Auth:
            fail(TransferError::Refused, u"the uploader refused the token"_s);
            break;
        default:
            fail(TransferError::Refused,
                 u"the uploader refused the transfer (reason %1)"_s.arg(int(r.reason)));
            break;
        }
    }
}

std::uint32_t DownloadConnection::credit() const
{
    return std::uint32_t(std::min<std::uint64_t>(
            std::uint64_t(m_lowestMissing) + std::max<quint16>(m_request.options.windowChunks, 1),
            m_store.chunkCount()));
}

void DownloadConnection::onData(const PacketView &packet, TimePoint now)
{
    std::uint32_t unit = 0;
    std::span<const std::byte> payload;
    if (!decodeData(packet.body, &unit, &payload)) {
        ++m_malformed;
        return;
    }
    // The uploader flags resent units, so the downloader can report retransmissions too.
    ++m_dataReceived;
    m_rtt.onStampedArrival(packet.header.timestampUs, timestampUs(now));
    if (packet.header.flags & kFlagRetransmit)
        ++m_retransmissionsSeen;
    if (m_request.options.mode == ArqMode::GoBackN) {
        // Go-Back-N accepts only the next unit in order; everything else is discarded.
        if (!m_expected.atEnd() && unit == m_expected.unit()) {
            const UnitResult r = acceptUnit(unit, payload);
            if (r != UnitResult::Rejected)
                m_expected.advance();
            if (r == UnitResult::Duplicate)
                ++m_duplicates;
        } else {
            ++m_discarded;
        }
        sendAckGbn(packet.header.timestampUs, now);
    } else {
        const PacketNumber expected = m_ackRanges.isEmpty() ? 0 : m_ackRanges.largest() + 1;
        const PacketNumber pn = expandPacketNumber(expected, packet.header.packetNumber);
        const AckRanges::Arrival arrival = m_ackRanges.onPacketReceived(pn, now);
        const auto generation = std::uint8_t(packet.header.flags >> kGenerationShift);
        if (arrival == AckRanges::Arrival::Duplicate)
            ++m_duplicates;
        else if (!isCurrentGeneration(unit, generation))
            ++m_discarded; // sent before the chunk was re-fetched
        else if (acceptUnit(unit, payload) == UnitResult::Duplicate)
            ++m_duplicates;
        sendDueRefetches(now);
        const std::uint32_t threshold = m_packetsReceived < kFastAckPackets ? 2 : 16;
        if (arrival == AckRanges::Arrival::OutOfOrder || ++m_elicitingSinceAck >= threshold)
            sendAck(now);
        else if (!m_ackDeadline)
            m_ackDeadline = now + kMaxAckDelay;
    }
    if (m_state == State::Established && m_store.isComplete())
        requestVerification(now);
}

void DownloadConnection::sendAck(TimePoint now)
{
    if (m_ackRanges.isEmpty())
        return;
    std::array<PacketNumberRange, kMaxAckRanges> ranges {};
    const std::size_t n = m_ackRanges.copyRanges(ranges);
    AckBody b;
    b.largest = truncatePacketNumber(m_ackRanges.largest());
    b.ackDelayUs = std::uint32_t(
            std::chrono::duration_cast<std::chrono::microseconds>(m_ackRanges.ackDelay(now))
                    .count());
    b.maxChunk = credit();
    b.rangeCount = std::uint8_t(n);
    for (std::size_t i = 0; i < n; ++i)
        b.ranges[i] = {truncatePacketNumber(ranges[i].last),
                       std::uint32_t(std::min<std::uint64_t>(ranges[i].count(), UINT32_MAX))};
    PacketHeader h = header(PacketType::Ack);
    h.timestampUs = timestampUs(now);
    // Tells an uploader that waits for it (HELLO flag) that no chunk will be re-fetched.
    if (m_store.isComplete())
        h.flags = kAckFlagComplete;
    if (const std::size_t size = encodeAck(m_buffer, h, b)) {
        send(size);
        ++m_packetsSent;
    }
    m_elicitingSinceAck = 0;
    m_ackDeadline.reset();
}

void DownloadConnection::sendAckGbn(std::uint32_t echo, TimePoint now)
{
    AckGbnBody b;
    b.nextUnit = m_expected.atEnd() ? UINT32_MAX : m_expected.unit();
    b.echoTimestampUs = echo;
    b.maxChunk = credit();
    PacketHeader h = header(PacketType::AckGbn);
    h.timestampUs = timestampUs(now);
    if (const std::size_t size = encodeAckGbn(m_buffer, h, b)) {
        send(size);
        ++m_packetsSent;
    }
}

FileHasher::State DownloadConnection::takeFileHash()
{
    return m_hasher ? m_hasher->take() : FileHasher::State {};
}

void DownloadConnection::requestVerification(TimePoint now)
{
    if (m_ackDeadline || m_elicitingSinceAck > 0)
        sendAck(now);
    m_store.close();
    m_state = State::Verifying;
    m_verifyRequested = true;
}

void DownloadConnection::verificationDone(bool ok, const QString &error, TimePoint now)
{
    if (m_state != State::Verifying)
        return;
    if (!ok) {
        fail(TransferError::Verification, error);
        return;
    }
    TransferResult r;
    r.direction = TransferDirection::Download;
    r.path = m_request.destination;
    r.bytes = m_bytesVerified;
    r.totalBytes = m_request.size;
    r.seconds = std::chrono::duration<double>(now - m_start).count();
    r.sha256 = m_request.sha256;
    r.stats = stats(now);
    finish(std::move(r));
    // Stay a little to acknowledge retransmissions whose ACKs were lost, so the uploader
    // finishes too; its CLOSE ends this early.
    if (m_remoteCid != 0) {
        m_state = State::Lingering;
        m_lingerUntil = now + kLinger;
    }
}

void DownloadConnection::service(TimePoint now)
{
    switch (m_state) {
    case State::Handshake:
        if (m_prober.hasTimedOut(now)) {
            QStringList tried;
            for (const CandidateProber::Probe &p : m_prober.candidates())
                tried.append(p.address.toString());
            if (!m_rejectedAccept.isEmpty())
                fail(TransferError::PeerIdentity, m_rejectedAccept);
            else
                fail(TransferError::Unreachable, u"no answer from "_s + tried.join(u", "_s));
        } else if (m_prober.isHelloDue(now))
            sendHello(now);
        break;
    case State::Established:
        if (now - m_lastHeard > m_request.options.idleTimeout) {
            qCDebug(lcTransfer) << "download" << m_id << "idle with" << m_store.presentChunks()
                                << "of" << m_store.chunkCount() << "chunks";
            for (const auto &[chunk, a] : m_assemblies)
                qCDebug(lcTransfer)
                        << "  chunk" << chunk << "missing" << a.missing << "hash" << a.hashKnown;
            m_store.close();
            fail(TransferError::PeerGone, u"the uploader stopped sending"_s);
            break;
        }
        if (m_ackDeadline && now >= *m_ackDeadline)
            sendAck(now);
        sendDueRefetches(now);
        break;
    case State::Verifying:
        if (m_ackDeadline && now >= *m_ackDeadline)
            sendAck(now);
        break;
    case State::Lingering:
        if (m_ackDeadline && now >= *m_ackDeadline)
            sendAck(now);
        if (now >= m_lingerUntil)
            m_state = State::Finished;
        break;
    default:
        break;
    }
}

std::optional<TimePoint> DownloadConnection::nextDeadline(TimePoint now) const
{
    Q_UNUSED(now);
    std::optional<TimePoint> d;
    auto consider = [&d](TimePoint t) { d = d ? std::min(*d, t) : t; };
    if (m_ackDeadline)
        consider(*m_ackDeadline);
    switch (m_state) {
    case State::Handshake:
        consider(m_prober.nextDeadline());
        break;
    case State::Established:
        consider(m_lastHeard + m_request.options.idleTimeout);
        for (const auto &[chunk, r] : m_refetches)
            if (r.pending)
                consider(r.nextSend);
        break;
    case State::Lingering:
        consider(m_lingerUntil);
        break;
    default:
        break;
    }
    return d;
}

void DownloadConnection::cancel(TimePoint now)
{
    m_store.close();
    Connection::cancel(now);
}

TransferStats DownloadConnection::stats(TimePoint now) const
{
    TransferStats s;
    s.direction = TransferDirection::Download;
    s.totalBytes = m_request.size;
    s.doneBytes = m_bytesVerified;
    fillCommonStats(s, now);
    s.doneBytes += m_resumedBytes;
    s.receivedBytes = m_bytesReceived + m_resumedBytes;
    s.duplicates = m_duplicates + m_discarded;
    s.retransmissions = m_retransmissionsSeen;
    s.dataPackets = m_dataReceived;
    s.chunksRefetched = m_chunksRefetched;
    s.rttUs = quint64(
            std::chrono::duration_cast<std::chrono::microseconds>(m_rtt.smoothedRtt()).count());
    s.minRttUs = quint64(
            std::chrono::duration_cast<std::chrono::microseconds>(m_rtt.minRtt()).count());
    return s;
}

} // namespace Transfer
