#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>
#include <optional>

namespace Bench {

// What the chat layer would tell a downloader: the file's size and SHA-256 and an upload token.
struct BenchOffer
{
    qint64 size = 0;
    QByteArray sha256; // 32 raw bytes
    QByteArray token; // 16 bytes, single use
};

// Two-process mode has no chat server, so `serve` answers each TCP connection on its own
// ADDRESS:PORT (the UDP port number, on TCP) with one JSON line holding a fresh offer.
class OfferServer : public QObject
{
    Q_OBJECT
public:
    using TokenSource = std::function<QByteArray()>;

    OfferServer(qint64 size, QByteArray sha256, TokenSource tokens, QObject *parent = nullptr);
    [[nodiscard]] bool listen(const QHostAddress &address, quint16 port, QString *error);

private:
    void answer();

    QTcpServer m_server;
    qint64 m_size;
    QByteArray m_sha256;
    TokenSource m_tokens;
};

// Fetches one offer (blocking, bounded by timeoutMs); nullopt with *error set on failure.
[[nodiscard]] std::optional<BenchOffer> fetchOffer(const QHostAddress &address, quint16 port,
                                                   int timeoutMs, QString *error);

} // namespace Bench
