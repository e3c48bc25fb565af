#pragma once

// A client core with file sharing that records what it is told: offers, transfer updates,
// refusals and relays. Shared by the file-sharing tests and the hostile-input catalogue.
#include <client/clientcore.h>
#include <client/filesharing.h>
#include <crypto/sha256.h>

#include <QCborMap>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace FileTest {

using namespace Qt::StringLiterals;
using Client::FileSharing;
using Client::OfferInfo;
using Client::TransferInfo;

struct Peer
{
    QTemporaryDir pins; // TLS pins of this peer only: servers restart on reused ports
    Client::ClientCore core;
    QList<OfferInfo> offers;
    QList<TransferInfo> updates;
    QStringList refusals; // "nick:reason"
    QList<Protocol::Relayed> relays;

    Peer()
    {
        Client::TlsSettings tls;
        tls.knownServersFile = pins.filePath(QStringLiteral("known-servers"));
        core.setTlsSettings(tls);
        QObject::connect(&core, &Client::ClientCore::relayReceived, &core,
                         [this](const Protocol::Relayed &r) { relays.append(r); });
    }
    FileSharing *files() { return core.files(); }
    [[nodiscard]] bool connectTo(quint16 port, const QString &nick)
    {
        QSignalSpy spy(&core, &Client::ClientCore::connected);
        core.connectToServer(u"127.0.0.1"_s, port, nick);
        return spy.wait(5000);
    }
    [[nodiscard]] bool join(const QString &room)
    {
        QSignalSpy spy(&core, &Client::ClientCore::joined);
        core.join(room);
        return spy.wait(5000);
    }
    void setUp(const QString &downloads, int maxUploads = 3)
    {
        FileSharing::Settings s;
        s.downloadsDir = downloads;
        s.maxUploads = maxUploads;
        s.hashCachePath = u"-"_s;
        s.bindAddress = QHostAddress::LocalHost;
        s.peerIdleTimeout = std::chrono::milliseconds(1500);
        s.requestTimeout = std::chrono::milliseconds(3000);
        s.retryInterval = std::chrono::milliseconds(300);
        s.retryWindow = std::chrono::milliseconds(3000);
        files()->setSettings(s);
        QObject::connect(files(), &FileSharing::offerReceived, &core,
                         [this](const OfferInfo &o) { offers.append(o); });
        QObject::connect(files(), &FileSharing::transferUpdated, &core,
                         [this](const TransferInfo &t) { updates.append(t); });
        QObject::connect(files(), &FileSharing::transferRefused, &core,
                         [this](const TransferInfo &, const QString &nick, const QString &reason) {
                             refusals.append(nick + u":"_s + reason);
                         });
    }
    [[nodiscard]] std::optional<TransferInfo> last(const QString &id) const
    {
        for (qsizetype i = updates.size() - 1; i >= 0; --i) {
            if (updates.at(i).id == id)
                return updates.at(i);
        }
        return std::nullopt;
    }
    [[nodiscard]] TransferInfo::State state(const QString &id) const
    {
        const auto t = last(id);
        return t ? t->state : TransferInfo::State::Queued;
    }
    [[nodiscard]] bool hasRelay(const QString &kind, const QString &key, const QString &value)
    {
        for (const auto &r : relays) {
            if (r.kind == kind && r.body.value(key).toString() == value)
                return true;
        }
        return false;
    }
};

inline QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

inline bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QString hex(const QByteArray &data)
{
    return QString::fromLatin1(Crypto::Sha256::toHex(Crypto::Sha256::hash(data)));
}

} // namespace FileTest
