#pragma once
// A HELLO built by hand (to send what an Endpoint never would: no cookie, a guessed one, a
// replayed token) and a collector of what came back, for the transport's hostile-input tests.
#include <transfer/connection/handshakecrypto.h>
#include <transfer/wire/packet.h>

#include <crypto/identitykey.h>
#include <crypto/x25519.h>

#include <QByteArray>
#include <QUdpSocket>

#include <cstring>

namespace TransferTest {

using Transfer::Cookie;

// The identity a hand-built HELLO signs with unless the test names one.
inline const Crypto::IdentityKey &rawHelloIdentity()
{
    static const auto identity = Crypto::IdentityKey::generate();
    return identity;
}

inline QByteArray hello(const QByteArray &token, const Cookie &cookie, quint64 size,
                        const QByteArray &sha,
                        const Crypto::IdentityKey &identity = rawHelloIdentity())
{
    Transfer::HelloBody b;
    b.sourceCid = 0x1234;
    b.nonce.fill(std::byte {1});
    b.windowChunks = 8;
    b.cookie = cookie;
    b.fileSize = size;
    std::memcpy(b.fileSha256.data(), sha.constData(), std::min<qsizetype>(32, sha.size()));
    // A well-formed, signed HELLO: only the cookie stands between it and the data.
    static const auto ephemeral = Crypto::X25519KeyPair::generate();
    std::memcpy(b.ephemeralKey.data(), ephemeral.publicKey().constData(), 32);
    Transfer::TokenBytes t {};
    std::memcpy(t.data(), token.constData(), std::min<qsizetype>(16, token.size()));
    Transfer::signHello(b, t, identity);
    Transfer::PacketHeader h;
    h.type = Transfer::PacketType::Hello;
    QByteArray out(qsizetype(Transfer::kMaxDatagramSize), '\0');
    const std::size_t n = Transfer::encodeHello(
            std::span(reinterpret_cast<std::byte *>(out.data()), std::size_t(out.size())), h, b);
    out.resize(qsizetype(n));
    return out;
}

// Everything the raw socket received, and whether any of it was DATA.
struct Received
{
    qint64 bytes = 0;
    int datagrams = 0;
    bool data = false;
    QByteArray lastChallenge;
};

inline void collect(QUdpSocket &socket, Received *r)
{
    while (socket.hasPendingDatagrams()) {
        QByteArray d(qsizetype(socket.pendingDatagramSize()), '\0');
        socket.readDatagram(d.data(), d.size());
        r->bytes += d.size();
        ++r->datagrams;
        const auto v = Transfer::decodePacket(std::span(
                reinterpret_cast<const std::byte *>(d.constData()), std::size_t(d.size())));
        if (v && v->header.type == Transfer::PacketType::Data)
            r->data = true;
        if (v && v->header.type == Transfer::PacketType::Challenge)
            r->lastChallenge = QByteArray(reinterpret_cast<const char *>(v->body.data()),
                                          qsizetype(v->body.size()));
    }
}
} // namespace TransferTest
