#pragma once

#include <client/tlssettings.h>

#include <crypto/identitykey.h>
#include <protocol/framecodec.h>
#include <protocol/messages.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QSslSocket>
#include <QStringList>
#include <QTimer>

#include <memory>

namespace Client {

class FileSharing;
class KnownPeers;

// The client's behaviour without any user interface: the connection to a server, hello, rooms
// and their member lists, chat and ping. Everything it learns arrives as a signal; the GUI and
// the CLI only call its slots and show its signals.
class ClientCore : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Greeting, Ready };
    Q_ENUM(State)

    explicit ClientCore(QObject *parent = nullptr);
    ~ClientCore() override;

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString nick() const { return m_nick; }
    [[nodiscard]] QString clientId() const { return m_clientId; }
    [[nodiscard]] QString serverName() const { return m_serverName; }
    [[nodiscard]] QString observedAddress() const { return m_observedAddress; }
    // The server's address and port as connected (its UDP side listens on the same port).
    [[nodiscard]] QHostAddress serverAddress() const { return m_socket.peerAddress(); }
    [[nodiscard]] quint16 serverPort() const { return m_socket.peerPort(); }
    [[nodiscard]] QStringList rooms() const { return m_roomOrder; }
    [[nodiscard]] QList<Protocol::MemberInfo> members(const QString &room) const;
    // Bytes handed to the socket but not yet written out.
    [[nodiscard]] qint64 pendingBytes() const;
    // Source address for the connection (multi-homed hosts, tests); null = the system's choice.
    void setLocalAddress(const QHostAddress &address) { m_localAddress = address; }
    // Whether other members (and other servers) may see the address our server sees for us
    // ("showip" in hello). Off by default; takes effect at the next connect.
    void setShowAddress(bool show) { m_showAddress = show; }
    [[nodiscard]] bool showsAddress() const { return m_showAddress; }
    // Files through the room (share, find, offers, transfers); created on first use so that a
    // chat-only core binds no UDP socket. Owned by this core.
    [[nodiscard]] FileSharing *files();
    // The long-term identity (docs/SECURITY.md): its public key goes in hello and in file
    // offers, and it signs transfer handshakes. Set it before connecting; a core without one
    // makes a key of its own on first use, which lasts as long as the core.
    void setIdentity(std::shared_ptr<const Crypto::IdentityKey> key)
    {
        m_identity = std::move(key);
    }
    [[nodiscard]] std::shared_ptr<const Crypto::IdentityKey> identity();
    // TLS (pinned on first use, by default), TLS without the pin check, or plain TCP; takes
    // effect at the next connect. Probes and failover use the same settings.
    void setTlsSettings(const TlsSettings &settings) { m_tls = settings; }
    [[nodiscard]] const TlsSettings &tlsSettings() const { return m_tls; }
    // SHA-256 of the server certificate's DER once the connection is encrypted; empty in
    // plain mode or before. Binds a signature to this server (proof of key possession).
    [[nodiscard]] QByteArray channelBinding() const;
    // The keys trusted for nicks (trust on first use). By default an in-memory store that
    // lasts as long as the core; the CLI and the GUI give it the profile's file.
    void setKnownPeers(std::shared_ptr<KnownPeers> peers);
    [[nodiscard]] KnownPeers &knownPeers() { return *m_knownPeers; }
    // True while `member`'s key is not the one trusted for its nick (a change was flagged and
    // the user has not accepted it): front ends keep such a member marked.
    [[nodiscard]] bool hasUntrustedKey(const Protocol::MemberInfo &member) const;

public Q_SLOTS:
    void connectToServer(const QString &host, quint16 port, const QString &nick);
    // Orderly goodbye: bye, flush, close.
    void disconnectFromServer(const QString &reason = {});
    // `key` is the room password: it locks a room this join creates, and opens a locked one.
    // Without one the key last given for the room is used again (a rejoin after failover); it
    // is kept in memory only, until the room is left or the server refuses it.
    void join(const QString &room, const QString &key = {});
    void leave(const QString &room);
    // targets: nicks or IP addresses (with or without '@'); empty = everyone in the room.
    void say(const QString &room, const QString &text, const QStringList &targets = {});
    // Sends an application payload to members of a room (targets: ids, nicks or addresses;
    // empty = every other member). The server routes it without reading the body.
    void relay(const QString &room, const QString &kind, const QCborMap &body,
               const QStringList &targets = {});
    // Empty server = the client's own server. Returns the ping id.
    quint32 ping(const QString &server = {});
    // Asks our server for a UDP relay session (docs/NAT.md). Returns the request id that
    // udpRelayOpened / udpRelayRefused carry.
    quint32 openUdpRelay();
    // Frees the relay session on `port` of our server (its transfer ended).
    void closeUdpRelay(quint16 port);
    // Accepts the key `nick` now shows (after memberKeyChanged) as its trusted key. False when
    // no member of my rooms has that nick.
    bool trustKey(const QString &nick);

Q_SIGNALS:
    void stateChanged(Client::ClientCore::State state);
    void connected(const QString &serverName, const QString &clientId);
    void connectionFailed(const QString &reason);
    // The connection ended; `reason` says why (server going away, network error, our quit).
    void disconnected(const QString &reason);
    void joined(const QString &room, const QList<Protocol::MemberInfo> &members);
    void left(const QString &room);
    void memberJoined(const QString &room, const Protocol::MemberInfo &member);
    void memberLeft(const QString &room, const Protocol::MemberInfo &member, const QString &reason);
    void messageReceived(const Protocol::ChatMessage &message);
    void pongReceived(quint32 id, const QString &server, double rttMs, int hops);
    void serverError(const Protocol::Error &error);
    void relayReceived(const Protocol::Relayed &relayed);
    // The servers of the network reachable through ours, with their client addresses.
    void serversReceived(const QList<Protocol::ServerInfo> &servers);
    void allWritten();
    // A relay session on our server: its UDP port there and the token both peers bind with.
    void udpRelayOpened(quint32 id, quint16 port, const QByteArray &token);
    void udpRelayRefused(quint32 id, const QString &reason);
    // `member` showed another key than the one trusted for its nick. Emitted once per session
    // for each nick and new key; the trusted key stays until trustKey().
    void memberKeyChanged(const QString &room, const Protocol::MemberInfo &member,
                          const QString &oldFingerprint, const QString &newFingerprint);
    // The user accepted `nick`'s new key.
    void memberKeyTrusted(const QString &nick, const QString &fingerprint);

private:
    void setState(State state);
    void send(const Protocol::Message &message);
    void readFrames();
    void handleSocketError();
    void handleDisconnected();
    // Checks a member's key against the known peers; flags a change once per session.
    void checkKey(const QString &room, const Protocol::MemberInfo &member);
    void sendHello();

    void handle(const Protocol::Welcome &m);
    void handle(const Protocol::Joined &m);
    void handle(const Protocol::Left &m);
    void handle(const Protocol::MemberJoined &m);
    void handle(const Protocol::MembersJoined &m);
    void handle(const Protocol::MemberLeft &m);
    void handle(const Protocol::ChatMessage &m);
    void handle(const Protocol::Pong &m);
    void handle(const Protocol::Error &m);
    void handle(const Protocol::Bye &m);
    void handle(const Protocol::Relayed &m);
    void handle(const Protocol::Servers &m);
    void handle(const Protocol::UdpRelayOpened &m);
    template<typename T>
    void handle(const T &m); // client-to-server messages arriving here are a server bug

    QSslSocket m_socket;
    TlsSettings m_tls;
    QString m_hostPort; // as dialled: the key of the pin
    QString m_tlsFailure; // why the handshake was refused (a changed pin, a bad certificate)
    QHostAddress m_localAddress;
    bool m_showAddress = false;
    QHash<QString, QString> m_roomKeys; // room -> the password last given for it
    Protocol::FrameReader m_reader;
    QTimer m_keepalive;
    QElapsedTimer m_clock;
    State m_state = State::Disconnected;
    QString m_nick;
    QString m_clientId;
    QString m_serverName;
    QString m_observedAddress;
    QString m_closeReason;
    QStringList m_roomOrder;
    QHash<QString, QList<Protocol::MemberInfo>> m_members;
    QHash<quint32, qint64> m_pingsSent; // id -> send time (ns on m_clock)
    QSet<quint32> m_keepalivePings;
    quint32 m_nextPingId = 1;
    QList<quint32> m_relayRequests; // outstanding udp-relay-open ids, oldest first
    quint32 m_nextRelayRequest = 1;
    FileSharing *m_files = nullptr; // child object, see files()
    std::shared_ptr<const Crypto::IdentityKey> m_identity;
    std::shared_ptr<KnownPeers> m_knownPeers;
    QSet<QByteArray> m_flaggedKeys; // nickKey + key already flagged in this session
};

} // namespace Client
