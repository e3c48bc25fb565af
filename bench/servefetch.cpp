#include <bench/servefetch.h>

#include <bench/cputime.h>
#include <bench/offerchannel.h>
#include <bench/testfile.h>

#include <crypto/sha256.h>
#include <transfer/endpoint.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <map>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

int failWith(const QString &message)
{
    QTextStream(stderr) << u"hopshare-bench: "_s << message << Qt::endl;
    printJsonLine({{u"verified"_s, false}, {u"error"_s, message}});
    return 1;
}

Transfer::DownloadOptions downloadOptions(const ServeFetchOptions &o)
{
    Transfer::DownloadOptions d;
    d.mode = o.mode == ArqMode::GoBackN ? Transfer::ArqMode::GoBackN
                                        : Transfer::ArqMode::SelectiveRepeat;
    d.controller = o.controller == Controller::NewReno ? Transfer::CongestionAlgorithm::NewReno
                                                       : Transfer::CongestionAlgorithm::Bbr;
    d.plain = o.plain;
    return d;
}

// Runs the event loop until `done()` holds or the timeout passes; false on timeout.
template<typename Done>
bool runUntil(QObject *context, int timeoutMs, Done done)
{
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, context, [&] {
        if (done())
            loop.quit();
    });
    check.start(5);
    QTimer::singleShot(timeoutMs, context, [&] { loop.quit(); });
    if (!done())
        loop.exec();
    return done();
}

struct Download
{
    Transfer::TransferId id = 0;
    QString path;
    QElapsedTimer clock;
    Measurement m;
    bool ended = false;
    quint64 duplicates = 0;
};

} // namespace

int ServeFetch::serve(const ServeFetchOptions &o)
{
    QString error;
    const QFileInfo info(o.path);
    const auto digest = Crypto::Sha256::hashFile(o.path, &error);
    if (!digest)
        return failWith(error);
    const QByteArray sha(reinterpret_cast<const char *>(digest->data()), 32);
    const Transfer::FileOffer offer {info.absoluteFilePath(), quint64(info.size()), sha};

    Transfer::Endpoint endpoint;
    if (!endpoint.bind(o.endpoint.address, o.endpoint.port, &error))
        return failWith(u"bind %1:%2: %3"_s.arg(o.endpoint.address.toString())
                                .arg(o.endpoint.port)
                                .arg(error));
    endpoint.setImpairment(o.impairment);
    endpoint.setAllowPlainUploads(o.plain);
    if (o.relay)
        endpoint.bindRelay(o.relay->address, o.relay->port, o.relayToken);
    // The engine refuses uploads beyond its slots as BUSY; the concurrency sweep wants N at once.
    endpoint.setMaxUploadSlots(std::max(4, o.count));
    OfferServer offers(info.size(), sha, [&] { return endpoint.issueUploadToken(offer); });
    if (!offers.listen(o.endpoint.address, endpoint.localPort(), &error))
        return failWith(error);
    printJsonLine({{u"listening"_s, endpoint.localPort()}});

    int succeeded = 0, failed = 0;
    Measurement total;
    QObject::connect(&endpoint, &Transfer::Endpoint::finished, &endpoint,
                     [&](Transfer::TransferId, const Transfer::TransferResult &r) {
                         ++succeeded;
                         total.bytes += std::int64_t(r.bytes);
                         total.seconds = std::max(total.seconds, r.seconds);
                         total.datagramsSent += r.stats.packetsSent;
                         total.retransmissions += r.stats.retransmissions;
                         total.spuriousRetransmissions += r.stats.spuriousRetransmissions;
                         total.lost += r.stats.packetsLost;
                     });
    QObject::connect(&endpoint, &Transfer::Endpoint::failed, &endpoint,
                     [&](Transfer::TransferId, Transfer::TransferError, const QString &reason) {
                         ++failed;
                         total.error = reason;
                     });
    const double cpu0 = processCpuSeconds();
    const bool done
            = runUntil(&endpoint, o.timeoutMs, [&] { return succeeded + failed >= o.count; });
    total.cpuSenderSeconds = processCpuSeconds() - cpu0;
    total.verified = done && failed == 0;
    if (!done && total.error.isEmpty())
        total.error = u"timed out after %1 s with %2 of %3 uploads done"_s.arg(o.timeoutMs / 1000)
                              .arg(succeeded)
                              .arg(o.count);
    QJsonObject line = total.toJson();
    line.insert(u"role"_s, u"serve"_s);
    line.insert(u"uploads"_s, succeeded);
    printJsonLine(line);
    return total.verified ? 0 : 1;
}

int ServeFetch::fetch(const ServeFetchOptions &o)
{
    QString error;
    std::vector<BenchOffer> offers;
    for (int i = 0; i < o.count; ++i) {
        auto offer = fetchOffer(o.endpoint.address, o.endpoint.port, 10'000, &error);
        if (!offer)
            return failWith(error);
        offers.push_back(*offer);
    }
    Transfer::Endpoint endpoint;
    const QHostAddress any(o.endpoint.address.protocol() == QAbstractSocket::IPv6Protocol
                                   ? QHostAddress::AnyIPv6
                                   : QHostAddress::AnyIPv4);
    if (!endpoint.bind(any, 0, &error))
        return failWith(u"bind: "_s + error);
    endpoint.setImpairment(o.impairment);
    if (o.relay)
        endpoint.bindRelay(o.relay->address, o.relay->port, o.relayToken);

    std::map<Transfer::TransferId, Download> downloads;
    QObject::connect(&endpoint, &Transfer::Endpoint::progress, &endpoint,
                     [&](const Transfer::TransferStats &s) {
                         if (auto it = downloads.find(s.id); it != downloads.end()) {
                             it->second.m.bytes = std::int64_t(s.doneBytes);
                             it->second.duplicates = s.duplicates;
                         }
                     });
    QObject::connect(&endpoint, &Transfer::Endpoint::finished, &endpoint,
                     [&](Transfer::TransferId id, const Transfer::TransferResult &r) {
                         if (auto it = downloads.find(id); it != downloads.end()) {
                             Download &d = it->second;
                             d.m.seconds = double(d.clock.nsecsElapsed()) * 1e-9;
                             d.m.bytes = std::int64_t(r.bytes);
                             d.duplicates = r.stats.duplicates;
                             d.ended = true;
                         }
                     });
    QObject::connect(&endpoint, &Transfer::Endpoint::failed, &endpoint,
                     [&](Transfer::TransferId id, Transfer::TransferError, const QString &reason) {
                         if (auto it = downloads.find(id); it != downloads.end()) {
                             it->second.m.error = reason;
                             it->second.ended = true;
                         }
                     });
    const double cpu0 = processCpuSeconds();
    for (int i = 0; i < o.count; ++i) {
        const QString path = o.count == 1 ? o.path : o.path + u'.' + QString::number(i);
        Transfer::DownloadRequest request {o.endpoint.address,
                                           o.endpoint.port,
                                           offers[std::size_t(i)].token,
                                           quint64(offers[std::size_t(i)].size),
                                           offers[std::size_t(i)].sha256,
                                           path,
                                           downloadOptions(o),
                                           {}};
        if (o.relay) {
            request.peer = o.relay->address;
            request.port = o.relay->port;
            request.candidates
                    = {{o.relay->address, o.relay->port, Transfer::CandidateKind::Relay}};
        }
        Download d;
        d.path = path;
        d.clock.start();
        d.id = endpoint.startDownload(request);
        downloads.emplace(d.id, std::move(d));
    }
    runUntil(&endpoint, o.timeoutMs, [&] {
        return std::all_of(downloads.begin(), downloads.end(),
                           [](const auto &entry) { return entry.second.ended; });
    });
    const double cpu = processCpuSeconds() - cpu0;
    bool allVerified = true;
    for (auto &[id, d] : downloads) {
        if (!d.ended) {
            d.m.seconds = double(d.clock.nsecsElapsed()) * 1e-9;
            d.m.error = u"timed out after %1 s"_s.arg(o.timeoutMs / 1000);
        }
        // The engine verified the file already; hashing it again here (outside the timing)
        // makes the exit code independent of the engine's own bookkeeping.
        if (d.ended && d.m.error.isEmpty()) {
            const auto hex = sha256Hex(d.path, &d.m.error);
            d.m.sha256 = hex.value_or(QString());
            d.m.verified = hex && *hex == QString::fromLatin1(offers[0].sha256.toHex());
        }
        d.m.cpuReceiverSeconds = cpu;
        allVerified = allVerified && d.m.verified;
        QJsonObject line = d.m.toJson();
        line.insert(u"role"_s, u"fetch"_s);
        line.insert(u"duplicates"_s, qint64(d.duplicates));
        line.insert(u"encrypted"_s, !o.plain);
        line.insert(u"relayed"_s, o.relay.has_value());
        printJsonLine(line);
    }
    return allVerified ? 0 : 1;
}

} // namespace Bench
