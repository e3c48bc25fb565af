#pragma once

#include <protocol/framecodec.h>
#include <protocol/linkmessages.h>

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace Server {

// What a link needs to know about this server.
struct LinkIdentity
{
    QString name;
    quint64 instance = 0;
    QByteArray secret;
    int heartbeatMs = 1000;
    int deadMs = 4000; // nothing heard for this long: the link is dead
    qint64 sendQueueBytes = qint64(32) << 20; // unread bytes before the link is cut
};

// One authenticated TCP link to a neighbouring server. Runs the HMAC challenge (both sides prove
// they hold the shared secret; the secret itself never travels), then heartbeats, and turns the
// stream into link messages. It knows nothing of routing; Federation does.
class LinkSession : public QObject
{
    Q_OBJECT
public:
    enum class Role { Dialler, Listener };
    // Returns why a peer may not link (duplicate name, ...) or an empty string to admit it.
    using Admission = std::function<QString(const QString &name, quint64 instance)>;

    LinkSession(QTcpSocket *socket, Role role, const LinkIdentity &self, Admission admit,
                QObject *parent = nullptr);
    ~LinkSession() override;

    // Dialler: connects and says hello. Listener: answers the hello that arrived first.
    void dial(const QString &host, quint16 port);
    void answer(const QCborMap &hello);

    // Returns the bytes queued (0 when the socket is not connected).
    qint64 send(const Protocol::Link::Message &message);
    void close(const QString &reason);

    [[nodiscard]] bool isUp() const { return m_up; }
    [[nodiscard]] QString peerName() const { return m_peerName; }
    [[nodiscard]] quint64 peerInstance() const { return m_peerInstance; }
    [[nodiscard]] Role role() const { return m_role; }

Q_SIGNALS:
    void up(Server::LinkSession *link);
    // `frameBytes`: the size of the frame it came in, for the traffic counters.
    void received(Server::LinkSession *link, const Protocol::Link::Message &message,
                  qint64 frameBytes);
    // Emitted once; the link is unusable afterwards.
    void down(Server::LinkSession *link, const QString &reason);

private:
    void readFrames();
    void handle(const QCborMap &map, qint64 frameBytes = 0);
    void handleHandshake(const Protocol::Link::Message &message);
    void onHello(const Protocol::Link::Hello &m);
    void onChallenge(const Protocol::Link::Challenge &m);
    void onAuth(const Protocol::Link::Auth &m);
    void refuse(const QString &logText, const QString &reason);
    void becomeUp();
    void beat();
    [[nodiscard]] QByteArray proof(QByteArrayView label, const QByteArray &nonce,
                                   const QString &name) const;
    void finish(const QString &reason);

    QPointer<QTcpSocket> m_socket;
    Role m_role;
    LinkIdentity m_self;
    Admission m_admit;
    Protocol::FrameReader m_reader;
    QTimer m_heartbeat;
    QTimer m_handshakeDeadline;
    QElapsedTimer m_lastHeard;
    QByteArray m_nonce; // ours, for the peer to prove its secret against
    QString m_peerName;
    quint64 m_peerInstance = 0;
    QString m_where; // for log lines before the peer's name is known
    int m_badFrames = 0;
    bool m_up = false;
    bool m_finished = false;
    bool m_sendQueueFull = false;
};

} // namespace Server
