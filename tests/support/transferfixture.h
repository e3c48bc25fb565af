#pragma once
// Shared pieces of the transport's loopback tests: random files, their SHA-256, and one
// download between two in-process endpoints awaited with a deadline that fails the test.
#include <transfer/endpoint.h>

#include <crypto/sha256.h>

#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

namespace TransferTest {

using namespace Qt::StringLiterals;

inline QByteArray writeRandomFile(const QString &path, qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    rng.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    for (qint64 i = size / 4 * 4; i < size; ++i)
        data[i] = char(rng.bounded(256));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != size)
        return {};
    const auto digest = Crypto::Sha256::hash(data);
    return QByteArray(reinterpret_cast<const char *>(digest.data()), 32);
}

inline QByteArray fileSha(const QString &path)
{
    const auto digest = Crypto::Sha256::hashFile(path);
    return digest ? QByteArray(reinterpret_cast<const char *>(digest->data()), 32) : QByteArray();
}

inline Transfer::DownloadRequest request(const Transfer::Endpoint &uploader,
                                         const QByteArray &token, const QString &source,
                                         const QByteArray &sha, const QString &destination)
{
    Transfer::DownloadRequest r;
    r.peer = QHostAddress::LocalHost;
    r.port = uploader.localPort();
    r.token = token;
    r.size = quint64(QFile(source).size());
    r.sha256 = sha;
    r.destination = destination;
    return r;
}

// Waits for `id` to finish or fail on `endpoint`; returns the error (None = finished).
struct Outcome
{
    bool done = false;
    Transfer::TransferError error = Transfer::TransferError::None;
    QString reason;
    Transfer::TransferResult result;
};

class Watcher : public QObject
{
public:
    Watcher(Transfer::Endpoint &endpoint, Transfer::TransferId id)
        : m_id(id)
    {
        connect(&endpoint, &Transfer::Endpoint::finished, this,
                [this](Transfer::TransferId id, const Transfer::TransferResult &r) {
                    if (id == m_id) {
                        outcome.done = true;
                        outcome.result = r;
                    }
                });
        connect(&endpoint, &Transfer::Endpoint::failed, this,
                [this](Transfer::TransferId id, Transfer::TransferError e, const QString &why) {
                    if (id == m_id) {
                        outcome.done = true;
                        outcome.error = e;
                        outcome.reason = why;
                    }
                });
        connect(&endpoint, &Transfer::Endpoint::progress, this,
                [this](const Transfer::TransferStats &s) {
                    if (s.id == m_id)
                        lastStats = s;
                });
    }
    Outcome outcome;
    Transfer::TransferStats lastStats;

private:
    Transfer::TransferId m_id;
};

} // namespace TransferTest
