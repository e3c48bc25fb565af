#include <transfer/connection/engine.h>

#include <transfer/connection/downloadconnection.h>
#include <transfer/connection/handshakecrypto.h>
#include <transfer/connection/uploadconnection.h>
#include <transfer/io/transferlogging.h>

#include <crypto/x25519.h>

#include <crypto/sha256.h>

#include <QFile>
#include <QFutureWatcher>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

struct VerifyOutcome
{
    bool ok = false;
    QString error;
};

// Finishes the whole-file hash that FileHasher computed over the file's prefix during the
// download: hashes the rest of the file (the whole file when there is no prefix state).
std::optional<Crypto::Sha256::Digest> finishFileHash(const QString &path, FileHasher::State state,
                                                     QString *error)
{
    if (!state.sha)
        return Crypto::Sha256::hashFile(path, error);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(qint64(state.hashed))) {
        *error = u"cannot read "_s + path + u": "_s + f.errorString();
        return std::nullopt;
    }
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) {
            *error = u"cannot read "_s + path + u": "_s + f.errorString();
            return std::nullopt;
        }
        if (n == 0)
            break;
        state.sha->addData(buffer.constData(), std::size_t(n));
    }
    return state.sha->finish();
}

// Runs on a worker thread: finish hashing the .part, then fsync + rename only when it matches.
VerifyOutcome verifyAndCommit(const QString &part, const QString &journal, const QString &final,
                              const QByteArray &expected, FileHasher::State state)
{
    QString error;
    const auto digest = finishFileHash(part, std::move(state), &error);
    if (!digest)
        return {false, error};
    if (QByteArray(reinterpret_cast<const char *>(digest->data()), 32) != expected) {
        // Every chunk matched the uploader's hashes, so the uploader's content is not what was
        // offered: start over next time.
        QFile::remove(journal);
        return {false, u"the file does not match the offered SHA-256"_s};
    }
    QFile f(part);
    if (f.open(QIODevice::ReadWrite)) {
        ::fsync(f.handle());
        f.close();
    }
    if (std::rename(QFile::encodeName(part).constData(), QFile::encodeName(final).constData()) != 0)
        return {false, u"cannot rename "_s + part + u" to "_s + final};
    QFile::remove(journal);
    return {true, {}};
}

constexpr std::uint64_t kStatelessPerSecond = 1000;

} // namespace

Engine::Engine(QObject *parent)
    : QObject(parent)
    , m_statelessBudget(kStatelessPerSecond, 64)
    , m_rendezvous([this](std::span<const std::byte> d, const PeerAddress &to) { transmit(d, to); })
    , m_timer(this)
    , m_statsTimer(this)
{
    registerTransferMetaTypes();
    setIdentity(nullptr);
    connect(&m_timer, &WakeupTimer::timeout, this, &Engine::pump);
    m_statsTimer.setInterval(kStatsInterval);
    connect(&m_statsTimer, &QTimer::timeout, this, &Engine::publishStats);
}

Engine::~Engine()
{
    shutdown();
}

bool Engine::bind(const QHostAddress &address, quint16 port, bool preferNative, QString *error)
{
    m_socket = DatagramSocket::create(preferNative, this);
    if (!m_socket->bind(address, port, error)) {
        m_socket.reset();
        return false;
    }
    connect(m_socket.get(), &DatagramSocket::readyRead, this, &Engine::onReadyRead);
    m_statsTimer.start();
    return true;
}

quint16 Engine::localPort() const
{
    return m_socket ? m_socket->localPort() : 0;
}

void Engine::addToken(const QByteArray &token, const FileOffer &offer, qint64 lifetimeMs)
{
    TokenBytes t {};
    std::memcpy(t.data(), token.constData(), std::min<std::size_t>(16, std::size_t(token.size())));
    const TimePoint now = Clock::now();
    m_tokens.purgeExpired(now);
    m_tokens.add(t, offer, now + std::chrono::milliseconds(lifetimeMs));
}

void Engine::startDownload(TransferId id, const DownloadRequest &request)
{
    const TimePoint now = Clock::now();
    if (!m_socket) {
        Q_EMIT failed(id, TransferError::Unreachable, u"the endpoint is not bound"_s);
        return;
    }
    const std::uint32_t cid = newConnectionId();
    auto c = std::make_unique<DownloadConnection>(
            id, cid, PeerAddress::fromQt(request.peer, request.port), *this, now, request);
    c->setIdentity(m_identity);
    // A failure to start is reported by reapConnections() like any other.
    [[maybe_unused]] const bool started = c->start(now);
    m_connections.emplace(cid, std::move(c));
    pump();
}

void Engine::cancel(TransferId id)
{
    const TimePoint now = Clock::now();
    for (auto &[cid, c] : m_connections)
        if (c->id() == id)
            c->cancel(now);
    pump();
}

void Engine::addCandidate(TransferId id, const Candidate &candidate)
{
    const TimePoint now = Clock::now();
    for (auto &[cid, c] : m_connections) {
        auto *d = dynamic_cast<DownloadConnection *>(c.get());
        if (d && d->id() == id && d->isProbing())
            d->raceCandidate(PeerAddress::fromQt(candidate.address, candidate.port), candidate.kind,
                             now, now + DownloadOptions {}.handshakeTimeout);
    }
    pump();
}

void Engine::setUploadRateCap(quint64 bytesPerSecond)
{
    m_uploadCap.configure(bytesPerSecond,
                          std::max<quint64>(bytesPerSecond / 1000, 2 * kMaxDatagramSize),
                          Clock::now());
}

void Engine::setIdentity(std::shared_ptr<const Crypto::IdentityKey> identity)
{
    if (!identity || !identity->isValid())
        identity = std::make_shared<const Crypto::IdentityKey>(Crypto::IdentityKey::generate());
    m_identity = std::move(identity);
}

void Engine::setMaxUploadSlots(int count)
{
    m_maxUploadSlots = std::max(count, 0);
}

void Engine::corruptChunkForTesting(std::uint32_t chunk, std::uint8_t generations)
{
    m_corruptChunkForTesting = std::pair(chunk, generations);
}

void Engine::setImpairment(const ImpairmentSpec &spec)
{
    m_outImpairer.reset();
    m_inImpairer.reset();
    if (!spec.isActive())
        return;
    using D = ImpairmentSpec::Direction;
    if (spec.direction == D::Outbound || spec.direction == D::Both)
        m_outImpairer = std::make_unique<Impairer>(spec);
    if (spec.direction == D::Inbound || spec.direction == D::Both) {
        ImpairmentSpec in = spec;
        in.seed = spec.seed + 1; // independent decisions per direction
        m_inImpairer = std::make_unique<Impairer>(in);
    }
}

void Engine::shutdown()
{
    m_rendezvous.setServer(std::nullopt, Clock::now());
    m_timer.stop();
    m_statsTimer.stop();
    m_connections.clear();
    m_outImpairer.reset();
    m_inImpairer.reset();
    m_socket.reset();
}

std::uint32_t Engine::newConnectionId()
{
    for (;;) {
        const std::uint32_t cid = QRandomGenerator::global()->generate();
        if (cid != 0 && !m_connections.contains(cid))
            return cid;
    }
}

int Engine::activeUploads() const
{
    int n = 0;
    for (const auto &[cid, c] : m_connections)
        if (dynamic_cast<const UploadConnection *>(c.get())
            && c->state() == Connection::State::Established)
            ++n;
    return n;
}

void Engine::transmit(std::span<const std::byte> datagram, const PeerAddress &peer)
{
    if (m_outImpairer) {
        m_outImpairer->push(datagram, peer.toQt(), peer.port, Clock::now());
        return;
    }
    if (m_socket)
        m_socket->send(datagram, peer);
}

void Engine::onReadyRead()
{
    if (!m_socket)
        return;
    const TimePoint now = Clock::now();
    m_socket->drain([this, now](std::span<const std::byte> data, const PeerAddress &peer) {
        if (m_inImpairer)
            m_inImpairer->push(data, peer.toQt(), peer.port, now);
        else
            handleDatagram(data, peer, now);
    });
    pump();
}

void Engine::drainImpairers(TimePoint now)
{
    if (m_inImpairer)
        m_inImpairer->popDue(now,
                             [&](std::span<const std::byte> d, const QHostAddress &a, quint16 p) {
                                 handleDatagram(d, PeerAddress::fromQt(a, p), now);
                             });
    if (m_outImpairer && m_socket)
        m_outImpairer->popDue(now,
                              [&](std::span<const std::byte> d, const QHostAddress &a, quint16 p) {
                                  m_socket->send(d, PeerAddress::fromQt(a, p));
                              });
}

void Engine::handleDatagram(std::span<const std::byte> datagram, const PeerAddress &peer,
                            TimePoint now)
{
    ++m_counters.datagramsReceived;
    DecodeError error = DecodeError::None;
    const auto packet = decodePacket(datagram, &error);
    if (!packet) {
        if (error == DecodeError::Checksum)
            ++m_counters.corrupt;
        else
            ++m_counters.malformed;
        return;
    }
    if (packet->sealed
        && (packet->header.type == PacketType::Hello || isRendezvousType(packet->header.type))) {
        ++m_counters.malformed; // these are never sealed
        return;
    }
    if (packet->header.type == PacketType::Hello) {
        handleHello(*packet, datagram.size(), peer, now);
        return;
    }
    if (isRendezvousType(packet->header.type)) {
        handleRendezvous(*packet, peer, now);
        return;
    }
    const auto it = m_connections.find(packet->header.destinationCid);
    // Only the peer the connection was made with may drive it (no migration in v1).
    if (packet->header.destinationCid == 0 || it == m_connections.end()
        || !it->second->acceptsFrom(peer)) {
        ++m_counters.unsolicited;
        return;
    }
    deliver(*it->second, *packet, peer, now);
}

void Engine::deliver(Connection &connection, const PacketView &packet, const PeerAddress &peer,
                     TimePoint now)
{
    const PacketType type = packet.header.type;
    const bool handshake = type == PacketType::Challenge || type == PacketType::Accept
            || type == PacketType::Refuse;
    if (!packet.sealed) {
        // No downgrade: an encrypted connection takes only its handshake in the clear, and
        // only until it has keys; after that a clear packet could only be a late copy or a
        // forgery, and must not keep the connection alive.
        if (connection.isEncrypted() && (!handshake || connection.hasKeys())) {
            ++(handshake ? m_counters.unsolicited : m_counters.malformed);
            return;
        }
        connection.onPacketFrom(packet, peer, now);
        return;
    }
    if (!connection.isEncrypted() || handshake) {
        ++m_counters.malformed;
        return;
    }
    if (!connection.hasKeys()) {
        ++m_counters.unsolicited; // ahead of the ACCEPT that brings the keys
        return;
    }
    const auto opened = connection.open(packet, m_openBuffer);
    if (!opened) {
        // Tampered, forged or corrupted on the way: dropped like a bad checksum.
        ++m_counters.corrupt;
        ++m_counters.unauthenticated;
        return;
    }
    connection.onPacketFrom(*opened, peer, now);
}

void Engine::sendStateless(const PacketHeader &header, const PeerAddress &peer, PacketType type,
                           const void *body)
{
    const TimePoint now = Clock::now();
    if (m_statelessBudget.available(now) < 1)
        return;
    m_statelessBudget.consume(1, now);
    std::size_t n = 0;
    if (type == PacketType::Challenge)
        n = encodeChallenge(m_statelessBuffer, header, *static_cast<const Cookie *>(body));
    else
        n = encodeRefuse(m_statelessBuffer, header, *static_cast<const RefuseBody *>(body));
    if (n > 0)
        transmit(std::span(m_statelessBuffer).first(n), peer);
}

void Engine::handleHello(const PacketView &packet, std::size_t size, const PeerAddress &peer,
                         TimePoint now)
{
    HelloBody hello;
    // An unpadded HELLO could make us send more than it carried: ignore it.
    if (size < kMaxDatagramSize || !decodeHello(packet.body, &hello)) {
        ++m_counters.malformed;
        return;
    }
    hello.headerFlags = packet.header.flags;
    for (auto &[cid, c] : m_connections) {
        auto *up = dynamic_cast<UploadConnection *>(c.get());
        if (up && up->peer() == peer && up->helloCid() == hello.sourceCid) {
            up->sendAccept(now); // our ACCEPT was lost
            return;
        }
    }
    PacketHeader h;
    h.destinationCid = hello.sourceCid;
    if (!m_validator.verify(hello.cookie, peer, hello.sourceCid, hello.nonce, now)) {
        const Cookie cookie = m_validator.make(peer, hello.sourceCid, hello.nonce, now);
        h.type = PacketType::Challenge;
        sendStateless(h, peer, PacketType::Challenge, &cookie);
        return;
    }
    acceptHello(hello, peer, now);
}

void Engine::refuse(const HelloBody &hello, const PeerAddress &peer, RefuseReason reason,
                    std::uint32_t retryAfterMs)
{
    ++m_counters.refused;
    PacketHeader h;
    h.type = PacketType::Refuse;
    h.destinationCid = hello.sourceCid;
    const RefuseBody body {reason, retryAfterMs};
    sendStateless(h, peer, PacketType::Refuse, &body);
}

void Engine::acceptHello(const HelloBody &hello, const PeerAddress &peer, TimePoint now)
{
    // Nothing below consumes the token until the ACCEPT is signed and the keys exist: a HELLO
    // with the wrong identity, signature or content leaves it usable by the right downloader.
    const std::optional<TokenBytes> token = m_tokens.tokenFor(hello.tokenId);
    const FileOffer *valid = token ? m_tokens.peek(*token, now) : nullptr;
    if (!valid || !helloProvesToken(hello, *token)) {
        refuse(hello, peer, RefuseReason::Auth);
        return;
    }
    const FileOffer offer = *valid;
    if (!offer.requesterKey.isEmpty() && offer.requesterKey != toByteArray(hello.identityKey)) {
        qCDebug(lcTransfer) << "refusing a HELLO signed by"
                            << Crypto::IdentityKey::fingerprintOf(toByteArray(hello.identityKey))
                            << "for a token issued to"
                            << Crypto::IdentityKey::fingerprintOf(offer.requesterKey);
        refuse(hello, peer, RefuseReason::Auth);
        return;
    }
    if (!helloSignatureValid(hello)) {
        refuse(hello, peer, RefuseReason::Auth);
        return;
    }
    const bool plain = (hello.headerFlags & kHelloFlagPlain) != 0;
    if (plain && !m_allowPlainUploads) {
        refuse(hello, peer, RefuseReason::Plain);
        return;
    }
    if (offer.size != hello.fileSize || offer.sha256 != toByteArray(hello.fileSha256)) {
        refuse(hello, peer, RefuseReason::Content);
        return;
    }
    if (activeUploads() >= m_maxUploadSlots) {
        refuse(hello, peer, RefuseReason::Busy, 1000);
        return;
    }
    const std::uint32_t cid = newConnectionId();
    auto up = std::make_unique<UploadConnection>(m_nextUploadId++, cid, peer, *this, now, hello,
                                                 m_paths);
    QString error;
    if (!up->open(offer, &error)) {
        qCDebug(lcTransfer) << "refusing" << offer.path << error;
        refuse(hello, peer, RefuseReason::Content);
        return;
    }
    AcceptBody accept;
    accept.sourceCid = cid;
    accept.nonce = hello.nonce;
    accept.fileSize = hello.fileSize;
    const auto ephemeral = Crypto::X25519KeyPair::generate();
    std::memcpy(accept.ephemeralKey.data(), ephemeral.publicKey().constData(),
                std::min<std::size_t>(accept.ephemeralKey.size(), ephemeral.publicKey().size()));
    signAccept(accept, hello, *m_identity);
    std::unique_ptr<PacketProtection> protection;
    if (!plain) {
        const auto algorithm = Crypto::AeadAlgorithm(hello.aead);
        const auto shared = ephemeral.derive(toByteArray(hello.ephemeralKey));
        const auto secrets = shared
                ? deriveSessionSecrets(algorithm, *shared, *token, transcriptHash(hello, accept))
                : std::nullopt;
        protection = std::make_unique<PacketProtection>();
        if (!secrets
            || !protection->init(algorithm, secrets->uploaderToDownloader,
                                 secrets->downloaderToUploader)) {
            refuse(hello, peer, RefuseReason::Auth); // e.g. a low-order ephemeral key
            return;
        }
    }
    up->secure(accept, std::move(protection));
    [[maybe_unused]] const auto taken = m_tokens.take(*token, now);
    if (m_corruptChunkForTesting)
        up->corruptChunkForTesting(m_corruptChunkForTesting->first,
                                   m_corruptChunkForTesting->second);
    up->setPath(uploadPath(peer, *token));
    up->sendAccept(now);
    m_connections.emplace(cid, std::move(up));
}

void Engine::startVerification(DownloadConnection &connection)
{
    qCDebug(lcTransfer) << "verifying download" << connection.id();
    connection.verificationStarted();
    const TransferId id = connection.id();
    const QString final = connection.request().destination;
    const QString part = final + u".part"_s;
    const QString journal = part + u".journal"_s;
    auto *watcher = new QFutureWatcher<VerifyOutcome>(this);
    connect(watcher, &QFutureWatcher<VerifyOutcome>::finished, this, [this, watcher, id] {
        const VerifyOutcome outcome = watcher->result();
        watcher->deleteLater();
        for (auto &[cid, c] : m_connections)
            if (c->id() == id)
                if (auto *d = dynamic_cast<DownloadConnection *>(c.get()))
                    d->verificationDone(outcome.ok, outcome.error, Clock::now());
        pump();
    });
    watcher->setFuture(QtConcurrent::run(verifyAndCommit, part, journal, final,
                                         connection.request().sha256, connection.takeFileHash()));
}

void Engine::reapConnections()
{
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        Connection &c = *it->second;
        if (auto *d = dynamic_cast<DownloadConnection *>(&c); d && d->needsVerification())
            startVerification(*d);
        if (c.hasOutcome()) {
            qCDebug(lcTransfer) << "transfer" << c.id() << "ended:" << transferErrorName(c.error());
            c.outcomeReported();
            if (c.error() == TransferError::None)
                Q_EMIT finished(c.result());
            else
                Q_EMIT failed(c.id(), c.error(), c.errorText());
        }
        if (c.isClosed())
            it = m_connections.erase(it);
        else
            ++it;
    }
}

void Engine::pump()
{
    // Signals emitted below may re-enter through direct connections in tests; run once.
    if (m_inPump || !m_socket)
        return;
    m_inPump = true;
    const TimePoint now = Clock::now();
    drainImpairers(now);
    for (auto &[cid, c] : m_connections)
        c->service(now);
    // Uploads send in DRR turns of their peer path, after their own timers and probes.
    m_paths.service(now);
    m_rendezvous.service(now);
    drainImpairers(now);
    m_socket->flush();
    reapConnections();
    m_inPump = false;
    armTimer(now);
}

void Engine::armTimer(TimePoint now)
{
    std::optional<TimePoint> next;
    auto consider = [&next](std::optional<TimePoint> t) {
        if (t)
            next = next ? std::min(*next, *t) : *t;
    };
    for (const auto &[cid, c] : m_connections)
        consider(c->nextDeadline(now));
    consider(m_paths.nextDeadline(now));
    consider(m_rendezvous.nextDeadline());
    if (m_inImpairer)
        consider(m_inImpairer->nextDue());
    if (m_outImpairer)
        consider(m_outImpairer->nextDue());
    if (!next) {
        m_timer.stop();
        return;
    }
    // Measured from the clock read after this pump's work, so a slow pump does not oversleep.
    m_timer.start(*next - Clock::now());
}

void Engine::publishStats()
{
    const TimePoint now = Clock::now();
    for (const auto &[cid, c] : m_connections) {
        if (c->state() == Connection::State::Finished || c->state() == Connection::State::Failed)
            continue;
        TransferStats s = c->stats(now);
        s.corruptDropped = m_counters.corrupt + m_counters.malformed;
        Q_EMIT progress(s);
    }
    Q_EMIT countersChanged(m_counters);
}

} // namespace Transfer
