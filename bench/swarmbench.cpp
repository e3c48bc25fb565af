#include <bench/swarmbench.h>

#include <bench/cliutil.h>
#include <bench/plotter.h>
#include <bench/results.h>
#include <bench/testfile.h>

#include <client/clientcore.h>
#include <client/filesharing.h>
#include <server-console/chat/chatserver.h>
#include <share/shareindex.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

struct SwarmResult
{
    int requesters = 0;
    int completed = 0;
    int refusals = 0;
    double seconds = 0; // until the last download completed
    double aggregate = 0; // bytes/s: all bytes over that time
    double meanPerRequester = 0; // bytes/s, mean of each download's own goodput
};

// Runs the event loop until `done` or the deadline; false on timeout.
bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

struct Peer
{
    std::unique_ptr<Client::ClientCore> core = std::make_unique<Client::ClientCore>();
    QString transferId;
    Peer()
    {
        // TLS to the bench's own in-process server, whose certificate lasts one run: nothing
        // to pin, and nothing written to the home folder.
        core->setTlsSettings({Client::TlsSettings::Mode::Insecure, {}});
    }
    Client::TransferInfo last;
    int refusals = 0;
};

std::optional<SwarmResult> runOne(quint16 port, const QString &dir, const QString &file,
                                  const QString &sha, qint64 size, int k, int uploadSlots)
{
    auto settings = [&](const QString &downloads) {
        Client::FileSharing::Settings s;
        s.downloadsDir = downloads;
        s.maxUploads = uploadSlots;
        s.hashCachePath = u"-"_s;
        s.bindAddress = QHostAddress::LocalHost;
        s.retryInterval = std::chrono::milliseconds(200);
        s.retryWindow = std::chrono::milliseconds(120000);
        return s;
    };
    // Names per run: the previous run's clients may still be leaving the server.
    const QString room = u"swarm%1"_s.arg(k);
    Peer seed;
    seed.core->connectToServer(u"127.0.0.1"_s, port, u"seed%1"_s.arg(k));
    QList<std::shared_ptr<Peer>> peers;
    for (int i = 0; i < k; ++i) {
        auto p = std::make_shared<Peer>();
        p->core->connectToServer(u"127.0.0.1"_s, port, u"req%1x%2"_s.arg(k).arg(i));
        peers.append(p);
    }
    auto allReady = [&] {
        if (seed.core->state() != Client::ClientCore::State::Ready)
            return false;
        for (const auto &p : peers) {
            if (p->core->state() != Client::ClientCore::State::Ready)
                return false;
        }
        return true;
    };
    if (!spinUntil(allReady, 10000))
        return std::nullopt;
    seed.core->join(room);
    for (const auto &p : peers)
        p->core->join(room);
    if (!spinUntil([&] { return seed.core->members(room).size() == k + 1; }, 10000))
        return std::nullopt;
    seed.core->files()->setSettings(settings(dir));
    seed.core->files()->share(file);
    if (!spinUntil([&] { return seed.core->files()->index()->fileCount() == 1; }, 30000))
        return std::nullopt;
    for (int i = 0; i < k; ++i) {
        auto p = peers[i];
        const QString downloads = dir + u"/req%1"_s.arg(i);
        QDir().mkpath(downloads);
        auto *files = p->core->files();
        files->setSettings(settings(downloads));
        QObject::connect(files, &Client::FileSharing::transferUpdated, files,
                         [p](const Client::TransferInfo &t) {
                             if (t.id == p->transferId)
                                 p->last = t;
                         });
        QObject::connect(files, &Client::FileSharing::transferRefused, files,
                         [p](const Client::TransferInfo &, const QString &, const QString &) {
                             ++p->refusals;
                         });
        files->find(room, QFileInfo(file).fileName());
    }
    if (!spinUntil(
                [&] {
                    for (const auto &p : peers) {
                        if (p->core->files()->offers().isEmpty())
                            return false;
                    }
                    return true;
                },
                10000))
        return std::nullopt;
    QElapsedTimer clock;
    clock.start();
    for (const auto &p : peers)
        p->transferId = p->core->files()->downloadBest(sha);
    spinUntil(
            [&] {
                for (const auto &p : peers) {
                    if (!p->last.isFinal())
                        return false;
                }
                return true;
            },
            300000);
    SwarmResult r;
    r.requesters = k;
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    double sum = 0;
    for (const auto &p : peers) {
        r.refusals += p->refusals;
        if (p->last.state == Client::TransferInfo::State::Done && p->last.verified) {
            ++r.completed;
            const double s = double(p->last.started.msecsTo(p->last.finished)) / 1000.0;
            sum += s > 0 ? double(size) / s : 0;
        }
    }
    r.aggregate = r.seconds > 0 ? double(size) * r.completed / r.seconds : 0;
    r.meanPerRequester = r.completed ? sum / r.completed : 0;
    return r;
}

} // namespace

int runSwarm(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Swarm: one seed, K requesters at once, upload slots S."_s);
    parser.addHelpOption();
    parser.addOptions({
            {u"quick"_s, u"K = 1, 2, 4 and a 2 MiB file."_s},
            {u"file-size"_s, u"Size of the shared file (default 8MiB)."_s, u"SIZE"_s},
            {u"slots"_s, u"Upload slots per peer (default 4)."_s, u"S"_s},
            {u"counts"_s, u"Requester counts (default 1,2,4,8,16)."_s, u"LIST"_s},
            {u"out"_s, u"Folder for CSV, JSON and PNG (default bench-results)."_s, u"DIR"_s},
    });
    parser.process(QStringList {u"hopshare-bench swarm"_s} + args.mid(1));
    QTextStream err(stderr);
    QString error;
    const bool quick = parser.isSet(u"quick"_s);
    const auto size
            = parseSize(parser.value(u"file-size"_s).isEmpty() ? (quick ? u"2MiB"_s : u"8MiB"_s)
                                                               : parser.value(u"file-size"_s),
                        &error);
    const int uploadSlots
            = parser.value(u"slots"_s).isEmpty() ? 4 : parser.value(u"slots"_s).toInt();
    QList<int> counts = quick ? QList<int> {1, 2, 4} : QList<int> {1, 2, 4, 8, 16};
    if (parser.isSet(u"counts"_s)) {
        counts.clear();
        for (const auto &c : parser.value(u"counts"_s).split(u','))
            counts.append(c.toInt());
    }
    if (!size || uploadSlots < 1 || counts.contains(0)) {
        err << "swarm: bad options " << error << "\n";
        return 2;
    }
    const QString out
            = parser.value(u"out"_s).isEmpty() ? u"bench-results"_s : parser.value(u"out"_s);
    QDir().mkpath(out);
    Server::ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.name = u"swarm"_s;
    config.messagesPerSecond = 10000; // the bench measures transfers, not the flood guard
    Server::ChatServer server(config);
    if (!server.start(&error)) {
        err << "swarm: " << error << "\n";
        return 1;
    }
    ResultTable table({u"requesters"_s, u"slots"_s, u"completed"_s, u"refusals"_s, u"seconds"_s,
                       u"aggregate_MBps"_s, u"per_requester_MBps"_s});
    PlotSeries series {u"aggregate (slots %1)"_s.arg(uploadSlots), {}, {}};
    for (int k : counts) {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"swarm.bin"_s);
        const auto sha = makeTestFile(file, *size, 7, &error);
        if (!sha) {
            err << "swarm: " << error << "\n";
            return 1;
        }
        const auto r = runOne(server.port(), dir.path(), file, *sha, *size, k, uploadSlots);
        if (!r) {
            err << "swarm: set-up failed for K=" << k << "\n";
            return 1;
        }
        table.addRow({{u"requesters"_s, k},
                      {u"slots"_s, uploadSlots},
                      {u"completed"_s, r->completed},
                      {u"refusals"_s, r->refusals},
                      {u"seconds"_s, r->seconds},
                      {u"aggregate_MBps"_s, r->aggregate / 1e6},
                      {u"per_requester_MBps"_s, r->meanPerRequester / 1e6}});
        series.x.append(k);
        series.y.append(r->aggregate / 1e6);
        QTextStream(stdout) << "K=" << k << " done " << r->completed << "/" << k << " in "
                            << r->seconds << " s, " << r->aggregate / 1e6 << " MB/s, refusals "
                            << r->refusals << Qt::endl;
    }
    table.setMeta({{u"file_size"_s, qint64(*size)}, {u"slots"_s, uploadSlots}});
    QTextStream(stdout) << table.toText();
    const bool ok = table.writeCsv(out + u"/swarm.csv"_s, &error)
            && table.writeJson(out + u"/swarm.json"_s, &error)
            && Plotter::savePng({u"Swarm: one seed, K requesters"_s,
                                 u"requesters K"_s,
                                 u"aggregate goodput (MB/s)"_s,
                                 {series},
                                 std::nullopt,
                                 {},
                                 false},
                                out + u"/swarm.png"_s, &error);
    if (!ok)
        err << "swarm: " << error << "\n";
    return ok ? 0 : 1;
}

} // namespace Bench
