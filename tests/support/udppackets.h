#pragma once
// Rendezvous datagrams built by hand for the tests of the server's UDP side.
#include <transfer/wire/rendezvouspacket.h>

#include <QByteArray>
#include <QNetworkDatagram>
#include <QTest>
#include <QUdpSocket>

#include <cstring>
#include <span>

namespace UdpTest {

inline QByteArray toBytes(std::span<const std::byte> s)
{
    return QByteArray(reinterpret_cast<const char *>(s.data()), qsizetype(s.size()));
}

inline std::span<const std::byte> asSpan(const QByteArray &b)
{
    return std::as_bytes(std::span(b.constData(), std::size_t(b.size())));
}

inline QByteArray bindRequest(const Transfer::TransactionId &txid)
{
    std::array<std::byte, 256> out {};
    return toBytes(std::span(out).first(Transfer::encodeBindRequest(out, txid)));
}

// A RELAY_BIND: first without a cookie, then echoing the relay's challenge.
inline QByteArray relayBind(const QByteArray &token, const Transfer::Cookie &cookie = {})
{
    Transfer::RelayBind bind;
    std::memcpy(bind.token.data(), token.constData(), 16);
    bind.cookie = cookie;
    std::array<std::byte, 256> out {};
    return toBytes(std::span(out).first(Transfer::encodeRelayBind(out, bind)));
}

// A RELAY_BOUND answer (a challenge or a confirmation), or nullopt for anything else.
inline std::optional<Transfer::RelayBound> relayAnswer(const QByteArray &datagram)
{
    const auto packet = Transfer::decodePacket(asSpan(datagram));
    if (!packet || packet->header.type != Transfer::PacketType::RelayBound)
        return std::nullopt;
    return Transfer::decodeRelayBound(packet->body);
}

// Binds `socket` to the relay session on loopback `port` as a client does: a bind, the
// relay's challenge, a bind echoing its cookie. The answer to that, or nullopt. The server
// runs on this thread: waits by spinning the event loop.
inline std::optional<Transfer::RelayBound> bindRelay(QUdpSocket &socket, quint16 port,
                                                     const QByteArray &token)
{
    const auto answer = [&socket]() -> std::optional<Transfer::RelayBound> {
        if (!QTest::qWaitFor([&socket] { return socket.hasPendingDatagrams(); }, 5000))
            return std::nullopt;
        return relayAnswer(socket.receiveDatagram().data());
    };
    socket.writeDatagram(relayBind(token), QHostAddress::LocalHost, port);
    const auto challenge = answer();
    if (!challenge || challenge->endpoints != 0)
        return std::nullopt;
    socket.writeDatagram(relayBind(token, challenge->cookie), QHostAddress::LocalHost, port);
    return answer();
}

} // namespace UdpTest
