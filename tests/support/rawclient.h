#pragma once

#include <crypto/identitykey.h>
#include <protocol/framecodec.h>
#include <protocol/identityproof.h>
#include <protocol/messagecodec.h>

#include <QCryptographicHash>
#include <QHostAddress>
#include <QList>
#include <QSslSocket>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <variant>

// A client that speaks the wire format by hand, to send what ClientCore never would; over TLS
// like every client (the server's certificate is not its concern). The one place that opens
// the raw control connection.
struct RawClient
{
    QSslSocket socket;
    Protocol::FrameReader reader;
    QList<Protocol::Message> received;
    QByteArray unread; // bytes the reader could not take yet

    // `local`: the source address (127.0.0.x), to act as another host on loopback.
    bool connectTo(quint16 port, const QHostAddress &local = {})
    {
        if (!local.isNull() && !socket.bind(local, 0))
            return false;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_3OrLater);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(QHostAddress(QHostAddress::LocalHost).toString(), port);
        // The server runs in this thread: wait with the event loop, never blocking it.
        return QTest::qWaitFor([this] { return socket.isEncrypted(); }, 5000);
    }
    // What a hello proof signs on this connection: the SHA-256 of the server's certificate.
    [[nodiscard]] QByteArray channelBinding() const
    {
        return QCryptographicHash::hash(socket.peerCertificate().toDer(),
                                        QCryptographicHash::Sha256);
    }
    void sendRaw(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }
    void send(const Protocol::Message &m) { sendRaw(Protocol::encodeMessageFrame(m)); }
    void sendBody(const QByteArray &body)
    {
        QByteArray prefix(4, Qt::Uninitialized);
        qToBigEndian(quint32(body.size()), prefix.data());
        sendRaw(prefix + body);
    }
    void drain()
    {
        unread += socket.readAll();
        for (int i = 0; i < 100000; ++i) {
            unread.remove(0, reader.append(unread));
            const auto f = reader.next();
            if (f.status != Protocol::FrameStatus::Ok)
                break;
            if (auto d = Protocol::decodeMessage(f.map); d.message)
                received.append(*d.message);
        }
    }
    int countErrors(Protocol::ErrorCode code)
    {
        drain();
        int n = 0;
        for (const auto &m : received) {
            if (const auto *e = std::get_if<Protocol::Error>(&m); e && e->code == code)
                ++n;
        }
        return n;
    }
    template<typename T>
    int count()
    {
        drain();
        int n = 0;
        for (const auto &m : received)
            n += std::holds_alternative<T>(m) ? 1 : 0;
        return n;
    }
    // Spins the event loop (the server runs on this thread) until the error arrives.
    [[nodiscard]] bool waitForError(Protocol::ErrorCode code, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return countErrors(code) > 0; }, timeoutMs);
    }
    [[nodiscard]] bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
                [&] {
                    drain();
                    return socket.state() == QAbstractSocket::UnconnectedState;
                },
                timeoutMs);
    }
    int countWelcomes() { return count<Protocol::Welcome>(); }
    // A hello as `nick` with a valid identity proof (a key of its own, bound to this
    // connection's server certificate), answered by welcome.
    [[nodiscard]] bool hello(const QString &nick)
    {
        static const auto key = Crypto::IdentityKey::generate();
        send(Protocol::Hello {nick, Protocol::ProtocolVersion, QStringLiteral("raw"),
                              key.publicKey(),
                              key.sign(Protocol::helloProof(channelBinding(), nick))});
        return QTest::qWaitFor([&] { return count<Protocol::Welcome>() > 0; }, 5000);
    }
    [[nodiscard]] bool join(const QString &room)
    {
        send(Protocol::Join {room});
        return QTest::qWaitFor([&] { return count<Protocol::Joined>() > 0; }, 5000);
    }
};
