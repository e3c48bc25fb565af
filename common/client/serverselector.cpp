#include <client/serverselector.h>

#include <client/identityhello.h>
#include <client/servertrust.h>

#include <protocol/messagecodec.h>

#include <QSslSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Client {

QString ServerCandidate::address() const
{
    return host.contains(u':') ? u"[%1]:%2"_s.arg(host).arg(port) : u"%1:%2"_s.arg(host).arg(port);
}

ServerSelector::ServerSelector(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        for (int i = 0; i < m_probes.size(); ++i)
            settle(i, u"no answer"_s);
    });
}

ServerSelector::~ServerSelector()
{
    abandon();
}

void ServerSelector::abandon()
{
    for (Probe *p : std::as_const(m_probes)) {
        if (p && p->socket) {
            p->socket->disconnect(this);
            p->socket->abort();
            p->socket->deleteLater();
        }
        delete p;
    }
    m_probes.clear();
    m_pending = 0;
    m_deadline.stop();
}

void ServerSelector::probe(const QList<ServerCandidate> &candidates, int probesEach, int timeoutMs)
{
    abandon();
    m_candidates = candidates;
    m_probesEach = std::max(1, probesEach);
    m_pending = int(candidates.size());
    if (candidates.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT finished({}); });
        return;
    }
    m_deadline.start(timeoutMs);
    if (!m_probeKey.isValid())
        m_probeKey = Crypto::IdentityKey::generate();
    for (int i = 0; i < candidates.size(); ++i) {
        m_candidates[i].rttMs = -1;
        m_candidates[i].error.clear();
        auto *p = new Probe;
        p->socket = new QSslSocket(this);
        m_probes.append(p);
        const QString hostPort = ServerTrust::hostPort(candidates[i].host, candidates[i].port);
        const auto hello = [this, i] {
            m_probes[i]->socket->write(Protocol::encodeMessageFrame(signedHello(
                    m_probeKey, u"probe"_s, u"hopshare-probe"_s,
                    m_tls.encrypted() ? ServerTrust::certificateHash(*m_probes[i]->socket, true)
                                      : QByteArray())));
        };
        connect(p->socket, &QSslSocket::connected, this, [this, hello] {
            if (!m_tls.encrypted())
                hello();
        });
        connect(p->socket, &QSslSocket::encrypted, this, [this, i, hostPort, hello] {
            ServerTrust::confirm(*m_probes[i]->socket, m_tls, hostPort);
            hello();
        });
        connect(p->socket, &QSslSocket::sslErrors, this,
                [this, i, hostPort](const QList<QSslError> &errors) {
                    QString why;
                    if (!ServerTrust::review(*m_probes[i]->socket, m_tls, hostPort, errors, &why))
                        m_candidates[i].error = why;
                });
        connect(p->socket, &QSslSocket::readyRead, this, [this, i] { read(i); });
        connect(p->socket, &QSslSocket::errorOccurred, this, [this, i] {
            const QString tlsFailure = m_candidates[i].error;
            settle(i, tlsFailure.isEmpty() ? m_probes[i]->socket->errorString() : tlsFailure);
        });
        ServerTrust::connectSocket(*p->socket, m_tls, candidates[i].host, candidates[i].port);
    }
}

void ServerSelector::sendPing(int index)
{
    Probe *p = m_probes[index];
    p->clock.start();
    p->socket->write(Protocol::encodeMessageFrame(Protocol::Ping {quint32(p->answered + 1), {}}));
}

void ServerSelector::read(int index)
{
    Probe *p = m_probes.value(index);
    if (!p || !p->socket)
        return;
    p->reader.append(p->socket->readAll());
    for (int guard = 0; guard < 1000 && p->socket; ++guard) {
        const Protocol::DecodedFrame frame = p->reader.next();
        if (frame.status != Protocol::FrameStatus::Ok)
            return;
        const auto decoded = Protocol::decodeMessage(frame.map);
        if (!decoded.message)
            continue;
        if (const auto *w = std::get_if<Protocol::Welcome>(&*decoded.message)) {
            m_candidates[index].name = w->server;
            sendPing(index);
        } else if (std::holds_alternative<Protocol::Pong>(*decoded.message)) {
            const double rtt = double(p->clock.nsecsElapsed()) / 1e6;
            double &best = m_candidates[index].rttMs;
            best = best < 0 ? rtt : std::min(best, rtt);
            if (++p->answered >= m_probesEach) {
                p->socket->write(Protocol::encodeMessageFrame(Protocol::Bye {u"probe done"_s}));
                p->socket->flush();
                settle(index);
                return;
            }
            sendPing(index);
        } else if (const auto *e = std::get_if<Protocol::Error>(&*decoded.message)) {
            settle(index, e->text);
            return;
        }
    }
}

void ServerSelector::settle(int index, const QString &error)
{
    Probe *p = m_probes.value(index);
    if (!p || !p->socket)
        return;
    if (!error.isEmpty() && m_candidates[index].rttMs < 0)
        m_candidates[index].error = error;
    p->socket->disconnect(this);
    p->socket->disconnectFromHost();
    p->socket->deleteLater();
    p->socket = nullptr;
    if (--m_pending == 0) {
        m_deadline.stop();
        Q_EMIT finished(ranked(m_candidates));
    }
}

QList<ServerCandidate> ServerSelector::ranked(QList<ServerCandidate> candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const ServerCandidate &a, const ServerCandidate &b) {
                         if ((a.rttMs < 0) != (b.rttMs < 0))
                             return a.rttMs >= 0;
                         return a.rttMs < b.rttMs;
                     });
    return candidates;
}

} // namespace Client
