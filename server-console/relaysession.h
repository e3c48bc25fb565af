#pragma once

#include <transfer/addressvalidator.h>
#include <transfer/peeraddress.h>
#include <transfer/rendezvouspacket.h>
#include <transfer/tokenbucket.h>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>
#include <QUdpSocket>

#include <array>

#include <functional>
#include <optional>

namespace Server {

// Limits of one relay session; ServerConfig holds the configured values.
struct RelayLimits
{
    quint64 maxBytes = quint64(4) << 30; // forwarded bytes over the session's life
    quint64 bytesPerSecond = 12'500'000; // token bucket per session (100 Mbit/s)
    int idleMs = 30'000; // nothing accepted for this long: the session expires
};

// One TURN-like allocation: a UDP socket on its own port. The first two distinct source
// addresses that send RELAY_BIND with the session's token, and then echo the cookie the
// session's challenge sent to that address (a round trip: a spoofed source never sees it),
// become its endpoints; afterwards a
// datagram from one endpoint goes to the other and nothing else goes anywhere. Datagrams from
// other addresses, binds with another token, a third binder, traffic over the byte cap or the
// rate are dropped and counted. Expires when idle or when the byte cap is reached.
// Hostile binds: an endpoint that is one of the server's own sockets (its UDP port or a relay
// port, which would make sessions feed each other) is refused, and a session whose traffic
// keeps coming back as the same datagrams (a loop through other relays) is ended.
class RelaySession : public QObject
{
    Q_OBJECT
public:
    struct Counters
    {
        quint64 forwardedDatagrams = 0;
        quint64 forwardedBytes = 0;
        quint64 dropped = 0;
    };

    // True for an address this server's own sockets use: never an endpoint.
    using OwnAddressCheck = std::function<bool(const Transfer::PeerAddress &)>;

    RelaySession(const Transfer::RelayToken &token, QString owner, RelayLimits limits,
                 QObject *parent = nullptr);
    void setOwnAddressCheck(OwnAddressCheck check) { m_isOwn = std::move(check); }

    bool open(const QHostAddress &address, QString *error);
    [[nodiscard]] quint16 port() const { return m_socket.localPort(); }
    [[nodiscard]] const QString &owner() const { return m_owner; }
    [[nodiscard]] const Transfer::RelayToken &token() const { return m_token; }
    [[nodiscard]] int boundEndpoints() const;
    [[nodiscard]] const Counters &counters() const { return m_counters; }

Q_SIGNALS:
    void expired(Server::RelaySession *session, const QString &why);

private:
    void readDatagrams();
    void handle(const QByteArray &datagram, const Transfer::PeerAddress &from);
    bool handleBind(std::span<const std::byte> body, const Transfer::PeerAddress &from);
    void answerBind(const Transfer::RelayBound &answer, const Transfer::PeerAddress &to);
    void forward(const QByteArray &datagram, const Transfer::PeerAddress &to);
    // True when this datagram is one the session keeps seeing again: it is circling.
    [[nodiscard]] bool looping(const QByteArray &datagram);
    void checkIdle();
    void expire(const QString &why);

    QUdpSocket m_socket;
    Transfer::RelayToken m_token;
    Transfer::AddressValidator m_cookies; // challenges a binder's address
    QString m_owner; // client id of the session's requester
    RelayLimits m_limits;
    std::optional<Transfer::PeerAddress> m_endpoints[2];
    Transfer::TokenBucket m_rate;
    QElapsedTimer m_sinceActivity;
    Counters m_counters;
    OwnAddressCheck m_isOwn;
    // Hashes of the last datagrams forwarded, and how often the recent ones came back.
    std::array<size_t, 16> m_recent {};
    std::size_t m_recentNext = 0;
    int m_loopScore = 0;
    bool m_expired = false;
};

} // namespace Server
