#pragma once

#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>

#include <QList>
#include <QTcpSocket>
#include <QtEndian>

#include <algorithm>

// A client that speaks the wire format by hand, to send what ClientCore never would.
struct RawClient
{
    QTcpSocket socket;
    Protocol::FrameReader reader;
    QList<Protocol::Message> received;

    bool connectTo(quint16 port)
    {
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return socket.waitForConnected(5000);
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
        reader.append(socket.readAll());
        for (int i = 0; i < 10000; ++i) {
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
    int countWelcomes()
    {
        drain();
        return int(std::count_if(received.cbegin(), received.cend(), [](const auto &m) {
            return std::holds_alternative<Protocol::Welcome>(m);
        }));
    }
};
