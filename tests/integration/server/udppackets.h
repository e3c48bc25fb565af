#pragma once
// Rendezvous datagrams built by hand for the tests of the server's UDP side.
#include <transfer/rendezvouspacket.h>

#include <QByteArray>

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

inline QByteArray relayBind(const QByteArray &token)
{
    Transfer::RelayToken t {};
    std::memcpy(t.data(), token.constData(), 16);
    std::array<std::byte, 256> out {};
    return toBytes(std::span(out).first(Transfer::encodeRelayBind(out, t)));
}

} // namespace UdpTest
