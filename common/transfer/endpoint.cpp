#include <transfer/endpoint.h>

#include <transfer/connection/engine.h>

#include <QRandomGenerator>
#include <QThread>

namespace Transfer {

Endpoint::Endpoint(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_engine(new Engine)
{
    registerTransferMetaTypes();
    m_thread->setObjectName(QStringLiteral("hopshare-transfer"));
    m_engine->moveToThread(m_thread);
    connect(m_engine, &Engine::progress, this, &Endpoint::progress);
    connect(m_engine, &Engine::finished, this,
            [this](const TransferResult &r) { Q_EMIT finished(r.id, r); });
    connect(m_engine, &Engine::failed, this, &Endpoint::failed);
    connect(m_engine, &Engine::countersChanged, this, &Endpoint::countersChanged);
    connect(m_engine, &Engine::reflexiveAddressChanged, this, &Endpoint::reflexiveAddressChanged);
    connect(m_engine, &Engine::relayBound, this, &Endpoint::relayBound);
    m_thread->start();
}

Endpoint::~Endpoint()
{
    // The engine and its socket must die on their own thread.
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

bool Endpoint::bind(const QHostAddress &address, quint16 port, QString *error)
{
    return bind(address, port, BindOptions {}, error);
}

bool Endpoint::bind(const QHostAddress &address, quint16 port, BindOptions options, QString *error)
{
    bool ok = false;
    QString message;
    quint16 bound = 0;
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine,
            [&] {
                ok = engine->bind(address, port, options.nativeSocket, &message);
                bound = engine->localPort();
            },
            Qt::BlockingQueuedConnection);
    m_port = bound;
    if (error)
        *error = message;
    return ok;
}

QByteArray Endpoint::issueUploadToken(const FileOffer &offer, std::chrono::milliseconds lifetime)
{
    QByteArray token(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(token.data()),
                                         reinterpret_cast<quint32 *>(token.data() + 16));
    registerUploadToken(token, offer, lifetime);
    return token;
}

void Endpoint::registerUploadToken(const QByteArray &token, const FileOffer &offer,
                                   std::chrono::milliseconds lifetime)
{
    Engine *engine = m_engine;
    const qint64 ms = lifetime.count();
    QMetaObject::invokeMethod(
            engine, [engine, token, offer, ms] { engine->addToken(token, offer, ms); },
            Qt::QueuedConnection);
}

void Endpoint::setIdentity(std::shared_ptr<const Crypto::IdentityKey> identity)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, identity] { engine->setIdentity(identity); }, Qt::QueuedConnection);
}

void Endpoint::setAllowPlainUploads(bool allow)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, allow] { engine->setAllowPlainUploads(allow); }, Qt::QueuedConnection);
}

void Endpoint::setUploadRateCap(quint64 bytesPerSecond)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, bytesPerSecond] { engine->setUploadRateCap(bytesPerSecond); },
            Qt::QueuedConnection);
}

void Endpoint::setMaxUploadSlots(int count)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, count] { engine->setMaxUploadSlots(count); }, Qt::QueuedConnection);
}

void Endpoint::setImpairment(const ImpairmentSpec &spec)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, spec] { engine->setImpairment(spec); }, Qt::QueuedConnection);
}

void Endpoint::corruptChunkForTesting(quint32 chunk, int generations)
{
    Engine *engine = m_engine;
    const auto g = std::uint8_t(std::clamp(generations, 0, 255));
    QMetaObject::invokeMethod(
            engine, [engine, chunk, g] { engine->corruptChunkForTesting(chunk, g); },
            Qt::QueuedConnection);
}

void Endpoint::setRendezvousServer(const QHostAddress &address, quint16 port)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, address, port] { engine->setRendezvousServer(address, port); },
            Qt::QueuedConnection);
}

void Endpoint::punch(const QByteArray &token, const QList<Candidate> &candidates,
                     std::chrono::milliseconds duration)
{
    Engine *engine = m_engine;
    const qint64 ms = duration.count();
    QMetaObject::invokeMethod(
            engine, [engine, token, candidates, ms] { engine->punch(token, candidates, ms); },
            Qt::QueuedConnection);
}

void Endpoint::bindRelay(const QHostAddress &address, quint16 port, const QByteArray &relayToken)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine,
            [engine, address, port, relayToken] { engine->bindRelay(address, port, relayToken); },
            Qt::QueuedConnection);
}

TransferId Endpoint::startDownload(const DownloadRequest &request)
{
    const TransferId id = m_nextId++;
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, id, request] { engine->startDownload(id, request); },
            Qt::QueuedConnection);
    return id;
}

void Endpoint::cancel(TransferId id)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, id] { engine->cancel(id); }, Qt::QueuedConnection);
}

void Endpoint::addCandidate(TransferId id, const Candidate &candidate)
{
    Engine *engine = m_engine;
    QMetaObject::invokeMethod(
            engine, [engine, id, candidate] { engine->addCandidate(id, candidate); },
            Qt::QueuedConnection);
}

} // namespace Transfer
