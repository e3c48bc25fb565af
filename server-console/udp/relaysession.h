#pragma once

#include <transfer/io/datagramsocket.h>
#include <transfer/io/tokenbucket.h>
#include <transfer/wire/addressvalidator.h>
#include <transfer/wire/peeraddress.h>
#include <transfer/wire/rendezvouspacket.h>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

#include <array>

#include <functional>
#include <memory>
#include <optional>
#include <span>

namespace Server {

// Limits of one relay session; ServerConfig holds the configured values.
struct RelayLimits
{
    quint64 maxBytes = quint64(4) << 30; // forwarded bytes over the session's life
    // Token bucket per session and direction (1 Gbit/s): a bound on what one session can take
    // from the server's link, not a shaper; a transfer's own congestion control paces it.
    quint64 bytesPerSecond = 125'000'000;
    int idleMs = 30'000; // nothing accepted for this long: the session expires
    int closeGraceMs = 2'000; // after a CLOSE crossed it, for the peers' last ACK and CLOSE
};

// One TURN-like allocation: a UDP socket on its own port. The first two distinct source
// addresses that send RELAY_BIND with the session's token, and then echo the cookie the
// session's challenge sent to that address (a round trip: a spoofed source never sees it),
// become its endpoints; afterwards a
// datagram from one endpoint goes to the other and nothing else goes anywhere. Datagrams from
// other addresses, binds with another token, a third binder, traffic over the byte cap or the
// rate are dropped and counted. Ends when its owner closes it (the transfer ended), shortly
// after a transfer CLOSE crossed it, when idle, or when the byte cap is reached.
// Forwarding reads and writes batches (recvmmsg/sendmmsg, GRO/GSO where the kernel has them,
// Transfer::DatagramSocket), allocates nothing per datagram and reads only the header's type
// byte of what a bound endpoint sends.
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
        quint64 dropped = 0; // by the session's rules: unbound source, caps, rate, loop
        // Of those, datagrams between the bound endpoints over the session's rate: the only
        // drops a transfer's own traffic meets (the rest are strays, binds and abuse).
        quint64 droppedOverRate = 0;
        quint64 sendErrors = 0; // the kernel refused to send (buffers full)
    };

    // True for an address this server's own sockets use: never an endpoint.
    using OwnAddressCheck = std::function<bool(const Transfer::PeerAddress &)>;

    RelaySession(const Transfer::RelayToken &token, QString owner, RelayLimits limits,
                 QObject *parent = nullptr);
    void setOwnAddressCheck(OwnAddressCheck check) { m_isOwn = std::move(check); }

    bool open(const QHostAddress &address, QString *error);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] const QString &owner() const { return m_owner; }
    [[nodiscard]] const Transfer::RelayToken &token() const { return m_token; }
    [[nodiscard]] int boundEndpoints() const;
    [[nodiscard]] Counters counters() const; // with the socket's send errors
    // Ends the session now (its owner says the transfer is over).
    void close(const QString &why) { expire(why); }

Q_SIGNALS:
    void expired(Server::RelaySession *session, const QString &why);

private:
    void readDatagrams();
    void handle(std::span<const std::byte> datagram, const Transfer::PeerAddress &from);
    bool handleBind(std::span<const std::byte> body, const Transfer::PeerAddress &from);
    void answerBind(const Transfer::RelayBound &answer, const Transfer::PeerAddress &to);
    void forward(std::span<const std::byte> datagram, int toSide);
    // True when this datagram is one the session keeps seeing again: it is circling.
    [[nodiscard]] bool looping(std::span<const std::byte> datagram);
    void checkIdle();
    void expire(const QString &why);

    std::unique_ptr<Transfer::DatagramSocket> m_socket;
    quint16 m_port = 0;
    Transfer::RelayToken m_token;
    Transfer::AddressValidator m_cookies; // challenges a binder's address
    QString m_owner; // client id of the session's requester
    RelayLimits m_limits;
    std::optional<Transfer::PeerAddress> m_endpoints[2];
    Transfer::TokenBucket m_rate[2]; // per direction: from endpoint 0, from endpoint 1
    QElapsedTimer m_sinceActivity;
    bool m_closeSeen = false; // a transfer CLOSE crossed: the session ends after the grace
    QElapsedTimer m_sinceClose;
    Counters m_counters;
    OwnAddressCheck m_isOwn;
    // Hashes of the last datagrams forwarded, and how often the recent ones came back.
    std::array<size_t, 16> m_recent {};
    std::size_t m_recentNext = 0;
    int m_loopScore = 0;
    bool m_expired = false;
};

} // namespace Server
