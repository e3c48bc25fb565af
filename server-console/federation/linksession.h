#pragma once

#include <protocol/framecodec.h>
#include <protocol/linkmessages.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <optional>

namespace Server {

class FrameStream;

// What a link needs to know about this server.
struct LinkIdentity
{
    QString name;
    quint64 instance = 0;
    QByteArray secret;
    int heartbeatMs = 1000;
    int deadMs = 4000; // nothing heard for this long: the link is dead
    qint64 sendQueueBytes = qint64(32) << 20; // unread bytes before the link is cut
    // TLS of the links (this server's certificate, TLS 1.3); nullopt = plain TCP (--plain).
    std::optional<QSslConfiguration> tls;
    QHash<QString, QString> peerCerts; // neighbour name -> pinned "SHA256:<hex>"
    quint32 preAuthFrameBytes = 4096; // frame cap until the link is authenticated
};

// One authenticated link to a neighbouring server, over TLS 1.3 unless the server is plain.
// Authenticates the peer by its pinned certificate and/or the HMAC challenge (both sides prove
// they hold the shared secret, bound to the listener's certificate; the secret never travels);
// with neither configured it admits nobody. Then heartbeats, and turns the stream into link
// messages. It knows nothing of routing; Federation does.
class LinkSession : public QObject
{
    Q_OBJECT
public:
    enum class Role { Dialler, Listener };
    // Returns why a peer may not link (duplicate name, ...) or an empty string to admit it.
    using Admission = std::function<QString(const QString &name, quint64 instance)>;

    LinkSession(FrameStream *socket, Role role, const LinkIdentity &self, Admission admit,
                QObject *parent = nullptr);
    ~LinkSession() override;

    // Dialler: connects and says hello. Listener: answers the hello that arrived first.
    void dial(const QString &host, quint16 port);
    // `unread`: what arrived after the hello before the socket changed hands.
    void answer(const QCborMap &hello, const QByteArray &unread = {});

    // Returns the bytes queued (0 when the socket is not connected).
    qint64 send(const Protocol::Link::Message &message);
    void close(const QString &reason);

    [[nodiscard]] bool isUp() const { return m_up; }
    [[nodiscard]] QString peerName() const { return m_peerName; }
    [[nodiscard]] quint64 peerInstance() const { return m_peerInstance; }
    [[nodiscard]] Role role() const { return m_role; }
    // The peer's certificate fingerprint ("SHA256:<hex>"), empty without TLS.
    [[nodiscard]] QString peerFingerprint() const;

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
    // Why this peer may not link by its protocol version, its certificate and our settings;
    // empty = go on.
    [[nodiscard]] QString checkPeer(const QString &name, int version) const;
    // The listener's certificate hash, which both proofs cover: a man in the middle shows the
    // dialler another certificate, so relayed proofs fail.
    [[nodiscard]] QByteArray channelBinding() const;
    void becomeUp();
    void beat();
    [[nodiscard]] QByteArray proof(QByteArrayView label, const QByteArray &nonce,
                                   const QString &name) const;
    void finish(const QString &reason);

    QPointer<FrameStream> m_socket;
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
