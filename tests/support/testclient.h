#pragma once

#include <client/clientcore.h>

#include <QList>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

// A ClientCore that records everything it is told, for assertions.
struct TestClient
{
    explicit TestClient(const QString &nick, const QHostAddress &local = {})
        : nick(nick)
    {
        core.setLocalAddress(local);
        // TLS as users get it (pinned on first use), with the pins in a file of this client
        // alone: tests restart servers with a fresh in-memory certificate, and one that lands
        // on a port an earlier server of the process had would meet a stale pin.
        Client::TlsSettings tls;
        tls.knownServersFile = pins.filePath(QStringLiteral("known-servers"));
        core.setTlsSettings(tls);
        using Client::ClientCore;
        QObject::connect(&core, &ClientCore::messageReceived, &core,
                         [this](const Protocol::ChatMessage &m) { messages.append(m); });
        QObject::connect(&core, &ClientCore::memberJoined, &core,
                         [this](const QString &room, const Protocol::MemberInfo &m) {
                             joins.append({room, m.nick});
                         });
        QObject::connect(
                &core, &ClientCore::memberLeft, &core,
                [this](const QString &room, const Protocol::MemberInfo &m, const QString &reason) {
                    leaves.append({room, m.nick, reason});
                });
        QObject::connect(&core, &ClientCore::serverError, &core,
                         [this](const Protocol::Error &e) { errors.append(e); });
        QObject::connect(&core, &ClientCore::disconnected, &core,
                         [this](const QString &reason) { disconnectReason = reason; });
    }

    [[nodiscard]] bool connectTo(quint16 port)
    {
        QSignalSpy spy(&core, &Client::ClientCore::connected);
        core.connectToServer(QStringLiteral("127.0.0.1"), port, nick);
        return spy.wait(5000);
    }
    [[nodiscard]] bool join(const QString &room, const QString &key = {})
    {
        QSignalSpy spy(&core, &Client::ClientCore::joined);
        core.join(room, key);
        return spy.wait(5000);
    }
    [[nodiscard]] QStringList texts() const
    {
        QStringList out;
        for (const auto &m : messages)
            out.append(m.text);
        return out;
    }
    [[nodiscard]] bool hasError(Protocol::ErrorCode code) const
    {
        for (const auto &e : errors) {
            if (e.code == code)
                return true;
        }
        return false;
    }

    struct Leave
    {
        QString room, nick, reason;
    };
    QString nick;
    QTemporaryDir pins;
    Client::ClientCore core;
    QList<Protocol::ChatMessage> messages;
    QList<std::pair<QString, QString>> joins; // room, nick
    QList<Leave> leaves;
    QList<Protocol::Error> errors;
    QString disconnectReason;
};
