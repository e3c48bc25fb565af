#pragma once

#include <client/tlssettings.h>

#include <crypto/identitykey.h>
#include <protocol/framecodec.h>
#include <protocol/messages.h>

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class QSslSocket;

namespace Client {

struct ServerCandidate
{
    QString host;
    quint16 port = 0;
    QString name; // learned from the server's welcome
    double rttMs = -1; // smallest round trip measured; -1 = unreachable
    QString error;
    [[nodiscard]] QString address() const;
};

// Measures the application round trip to each candidate server: connect, hello, a few pings,
// bye. A ping answered by the server process is what a chat message will meet, so a server
// that is slow to answer (loaded, or far behind a relay) ranks as far even when the kernel
// accepts its TCP connections at once. The smallest of the samples is kept: it is the least
// disturbed by scheduling noise.
class ServerSelector : public QObject
{
    Q_OBJECT
public:
    explicit ServerSelector(QObject *parent = nullptr);
    ~ServerSelector() override;

    // Starts a round; an earlier one is abandoned.
    void probe(const QList<ServerCandidate> &candidates, int probesEach = 3, int timeoutMs = 2000);
    [[nodiscard]] bool isRunning() const { return m_pending > 0; }
    // The TLS settings of the connection the probes stand for (a probe pins like it).
    void setTlsSettings(const TlsSettings &settings) { m_tls = settings; }

    // Reachable first by round trip, then the unreachable ones in their given order.
    [[nodiscard]] static QList<ServerCandidate> ranked(QList<ServerCandidate> candidates);

Q_SIGNALS:
    void finished(const QList<Client::ServerCandidate> &ranked);

private:
    struct Probe
    {
        QSslSocket *socket = nullptr;
        Protocol::FrameReader reader;
        QElapsedTimer clock;
        int answered = 0;
    };
    void read(int index);
    void sendPing(int index);
    void settle(int index, const QString &error = {});
    void abandon();

    QList<ServerCandidate> m_candidates;
    QList<Probe *> m_probes;
    TlsSettings m_tls;
    QTimer m_deadline;
    // A probe greets with a key of its own, made on first use: the server asks for a proof of
    // possession, not for the user's identity, and a measurement needs no name.
    Crypto::IdentityKey m_probeKey;
    int m_probesEach = 3;
    int m_pending = 0;
};

} // namespace Client
