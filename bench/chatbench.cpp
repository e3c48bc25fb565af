#include <bench/chatbench.h>

#include <bench/chatversus.h>

#include <bench/tlslatency.h>

#include <bench/rawclients.h>

#include <client/identityhello.h>
#include <protocol/framecodec.h>
#include <protocol/messagecodec.h>
#include <server-console/filelimit.h>

#include <QCborMap>
#include <QCborValue>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>
#include <QtEndian>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

QElapsedTimer &clock()
{
    static QElapsedTimer c = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return c;
}

struct Server
{
    QProcess *process = nullptr;
    quint16 port = 0;
};

qint64 peakRssKiB(qint64 pid)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression hwm(u"VmHWM:\\s+(\\d+)"_s);
    const auto m = hwm.match(QString::fromLatin1(f.readAll()));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

// Drives the clients (epoll) and the server processes (Qt's loop, a handful of descriptors).
bool waitUntil(RawClientSet &clients, const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs) {
        clients.poll(5);
        QCoreApplication::processEvents();
    }
    return done();
}

// Where the servers' logs go (--server-log); empty: dropped.
QString &serverLogDir()
{
    static QString dir;
    return dir;
}

Server startServer(const QString &binary, const QString &name, quint16 linkTo)
{
    QStringList args {u"--listen"_s, u"127.0.0.1:0"_s, u"--name"_s, name, u"--max-clients"_s,
                      u"100000"_s, u"--rate"_s, u"100000"_s, u"--link-secret"_s,
                      u"chat-bench-link-secret"_s, u"--idle-timeout"_s, u"600"_s,
                      u"--plain"_s, // the raw epoll clients speak plain TCP
                      // every bench client comes from 127.0.0.1
                      u"--max-per-address"_s, u"1000000"_s};
    if (linkTo != 0)
        args << u"--link"_s << u"127.0.0.1:%1"_s.arg(linkTo);
    Server s;
    s.process = new QProcess;
    s.process->setProcessChannelMode(QProcess::SeparateChannels);
    s.process->setStandardOutputFile(QProcess::nullDevice());
    s.process->start(binary, args);
    if (!s.process->waitForStarted(5000))
        return s;
    static const QRegularExpression listening(u"listening on [^ ]+:(\\d+)"_s);
    QByteArray log;
    QElapsedTimer t;
    t.start();
    while (!log.contains("listening on") && t.elapsed() < 5000) {
        s.process->waitForReadyRead(100);
        log += s.process->readAllStandardError();
    }
    const auto m = listening.match(QString::fromUtf8(log));
    s.port = m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    // The server logs every join: drain its output so the pipe never fills, into a file
    // when asked.
    QFile *logFile = nullptr;
    if (!serverLogDir().isEmpty()) {
        logFile = new QFile(QDir(serverLogDir()).filePath(name + u".log"_s), s.process);
        if (logFile->open(QIODevice::WriteOnly | QIODevice::Append))
            logFile->write(log);
    }
    QObject::connect(s.process, &QProcess::readyReadStandardError, s.process,
                     [p = s.process, logFile] {
                         const QByteArray chunk = p->readAllStandardError();
                         if (logFile && logFile->isOpen())
                             logFile->write(chunk);
                     });
    return s;
}

struct Result
{
    int requested = 0; // clients asked for; `clients` is how many joined
    int clients = 0, senders = 0, servers = 0;
    double seconds = 0;
    qint64 sent = 0, delivered = 0, expected = 0;
    QList<qint64> latencyNs[3]; // by receiver's server index
    qint64 serverRssKiB = 0;
    int clientsOnFirst = 0; // members on the server whose RSS is reported
    double joinSeconds = 0; // connecting and joining every client
    bool joinStalled = false; // a batch of 50 did not join within 10 s; no more were added
    double load1 = 0; // the machine's load average when the run started
};

double loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : -1;
}

double percentile(QList<qint64> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return double(v.at(std::min(v.size() - 1, qsizetype(p * double(v.size()))))) / 1e6;
}

Result run(const QString &binary, int clients, int senders, int serverCount, double seconds,
           int window)
{
    Result r;
    r.requested = clients;
    r.clients = clients;
    r.senders = senders;
    r.servers = serverCount;
    r.load1 = loadAverage();
    std::vector<Server> servers;
    for (int i = 0; i < serverCount; ++i)
        servers.push_back(
                startServer(binary, u"b%1"_s.arg(i), i == 0 ? quint16(0) : servers.back().port));
    std::vector<std::unique_ptr<RawClient>> all;
    const QString room = u"bench"_s;
    RawClientSet set([&r](RawClient &c, LightReader::Type type, const QCborMap &body) {
        if (type == LightReader::Type::Joined) {
            c.joined = true;
        } else if (type == LightReader::Type::Message) {
            const QStringList parts = body.value(u"text"_s).toString().split(u' ');
            if (parts.value(0) == u"-2") { // warm-up, not measured
                c.warmed = true;
                return;
            }
            if (!c.measured) // joined late (a stalled batch): not in the expected count
                return;
            r.latencyNs[c.serverIndex == 0 ? 0 : 2].append(clock().nsecsElapsed()
                                                           - parts.value(1).toLongLong());
            ++c.received;
            if (parts.value(0).toInt() == c.senderIndex)
                ++c.echoed;
        }
    });
    // Members alternate between the first and the last server; senders are on the first.
    for (int i = 0; i < clients; ++i) {
        auto c = std::make_unique<RawClient>();
        c->serverIndex = (i % 2 == 0 || serverCount == 1) ? 0 : serverCount - 1;
        if (i % 2 == 0 && i / 2 < senders)
            c->senderIndex = i / 2;
        all.push_back(std::move(c));
    }
    // Clients arrive in batches (the server's listen backlog is 50): connect, hello, join,
    // wait for the batch's joins.
    // One key for every simulated member: the server checks each hello's proof of
    // possession, not that keys differ, and signing per nick is what a real client costs.
    const Crypto::IdentityKey key = Crypto::IdentityKey::generate();
    QElapsedTimer joining;
    joining.start();
    constexpr int kBatch = 50;
    for (int first = 0; first < clients; first += kBatch) {
        const int last = std::min(clients, first + kBatch);
        for (int i = first; i < last; ++i) {
            RawClient &c = *all[i];
            if (!set.open(c, servers[c.serverIndex].port))
                continue;
            set.send(c,
                     Protocol::encodeMessageFrame(
                             Client::signedHello(key, u"m%1"_s.arg(i), u"bench"_s, {})));
            set.send(c, Protocol::encodeMessageFrame(Protocol::Join {room}));
        }
        const bool batchJoined = waitUntil(
                set,
                [&] {
                    return std::all_of(all.begin() + first, all.begin() + last,
                                       [](const auto &c) { return c->joined || c->closed; });
                },
                10000);
        if (!batchJoined) {
            // The server cannot take more in reasonable time: this is as many as it holds.
            r.joinStalled = true;
            break;
        }
    }
    r.clients = int(std::count_if(all.begin(), all.end(), [](const auto &c) { return c->joined; }));
    r.clientsOnFirst = int(std::count_if(all.begin(), all.end(), [](const auto &c) {
        return c->joined && c->serverIndex == 0;
    }));
    r.joinSeconds = double(joining.elapsed()) / 1000.0;
    // Presence crosses the line: one warm-up message must reach every member before the clock
    // starts, so the first server knows of every far member (sender index -2 is nobody's).
    if (!all.empty() && all.front()->joined) {
        set.send(*all.front(),
                 Protocol::encodeMessageFrame(
                         Protocol::Say {room, {}, u"-2 %1"_s.arg(clock().nsecsElapsed())}));
        for (int attempt = 0; attempt < 60; ++attempt) {
            const bool everyone = waitUntil(
                    set,
                    [&] {
                        return std::all_of(all.begin(), all.end(),
                                           [](const auto &c) { return !c->joined || c->warmed; });
                    },
                    1000);
            if (everyone)
                break;
            // A far member the first server did not know of yet: send another one.
            set.send(*all.front(),
                     Protocol::encodeMessageFrame(
                             Protocol::Say {room, {}, u"-2 %1"_s.arg(clock().nsecsElapsed())}));
        }
    }
    for (auto &c : all) {
        c->received = 0;
        c->measured = c->joined;
    }
    r.clients
            = int(std::count_if(all.begin(), all.end(), [](const auto &c) { return c->measured; }));
    for (auto &l : r.latencyNs)
        l.clear();

    // Senders flat out: each keeps `window` messages in flight, refilled as its own copies
    // return; bounded by time.
    QElapsedTimer run;
    run.start();
    auto pump = [&] {
        for (const auto &c : all) {
            if (c->senderIndex < 0)
                continue;
            while (c->sent - c->echoed < window && run.elapsed() < seconds * 1000) {
                set.send(*c,
                         Protocol::encodeMessageFrame(Protocol::Say {
                                 room,
                                 {},
                                 u"%1 %2"_s.arg(c->senderIndex).arg(clock().nsecsElapsed())}));
                ++c->sent;
            }
        }
    };
    while (run.elapsed() < seconds * 1000) {
        pump();
        set.poll(5);
        QCoreApplication::processEvents();
    }
    const double elapsed = double(run.elapsed()) / 1000.0;
    for (const auto &c : all)
        r.sent += c->sent;
    r.expected = r.sent * r.clients;
    waitUntil(
            set,
            [&] {
                qint64 got = 0;
                for (const auto &c : all)
                    got += c->received;
                return got >= r.expected;
            },
            30000);
    for (const auto &c : all)
        r.delivered += c->received;
    r.seconds = elapsed;
    r.serverRssKiB = peakRssKiB(servers[0].process->processId());
    // The servers go first: a server would otherwise announce each of thousands of departures
    // to everyone still there.
    for (Server &s : servers) {
        s.process->terminate();
        if (!s.process->waitForFinished(5000))
            s.process->kill();
        s.process->waitForFinished(2000);
        delete s.process;
    }
    for (auto &c : all)
        set.close(*c);
    return r;
}

} // namespace

int runChat(const QStringList &args)
{
    // The threaded TLS/IRC generator (chatversus.h); this file's single-thread plain bench
    // stays for --line and the existing options.
    if (args.contains(u"--gen"_s) || args.contains(u"--irc"_s) || args.contains(u"--ngircd-bin"_s)
        || std::any_of(args.begin(), args.end(), [](const QString &a) {
               return a.startsWith(u"--irc="_s) || a.startsWith(u"--ngircd-bin="_s);
           }))
        return runChatVersus(args);
    QCommandLineParser p;
    p.addOptions({{u"clients"_s, u"Comma-separated client counts (default 100,1000)."_s, u"N"_s},
                  {u"senders"_s, u"Comma-separated sender counts (default 1,10)."_s, u"N"_s},
                  {u"seconds"_s, u"Sending time per run (default 3)."_s, u"S"_s},
                  {u"window"_s, u"Messages in flight per sender (default 8)."_s, u"N"_s},
                  {u"line"_s, u"Also run across a line of three servers."_s},
                  {u"server-bin"_s, u"Path of hopshare-server."_s, u"PATH"_s},
                  {u"server-log"_s, u"Keep the servers' logs in DIR (bN.log)."_s, u"DIR"_s}});
    p.addHelpOption();
    p.process(args);
    const QString bin = p.isSet(u"server-bin"_s)
            ? p.value(u"server-bin"_s)
            : QDir(QCoreApplication::applicationDirPath())
                      .filePath(u"../server-console/hopshare-server"_s);
    auto ints = [&p](const QString &key, const QString &fallback) {
        QList<int> out;
        for (const QString &s :
             p.value(key).isEmpty() ? fallback.split(u',') : p.value(key).split(u','))
            out.append(std::clamp(s.toInt(), 1, 20000));
        return out;
    };
    serverLogDir() = p.value(u"server-log"_s);
    const double seconds = std::clamp(p.value(u"seconds"_s).toDouble(), 0.5, 60.0);
    const double secs = p.isSet(u"seconds"_s) ? seconds : 3.0;
    const int window = p.isSet(u"window"_s) ? std::clamp(p.value(u"window"_s).toInt(), 1, 1000) : 8;
    // Every client is a descriptor here and in the server (which raises its own limit too).
    const qint64 fdLimit = ::Server::raiseFileLimit();
    QTextStream out(stdout);
    bool lost = false;
    for (int servers : p.isSet(u"line"_s) ? QList<int> {1, 3} : QList<int> {1}) {
        for (int clients : ints(u"clients"_s, u"100,1000"_s)) {
            for (int senders : ints(u"senders"_s, u"1,10"_s)) {
                const Result r = run(bin, clients, senders, servers, secs, window);
                QList<qint64> allLat = r.latencyNs[0] + r.latencyNs[2];
                QJsonObject o {{u"servers"_s, r.servers},
                               {u"clients"_s, r.clients},
                               {u"clients_requested"_s, r.requested},
                               {u"senders"_s, r.senders},
                               {u"seconds"_s, r.seconds},
                               {u"sent"_s, r.sent},
                               {u"deliveries"_s, r.delivered},
                               {u"lost"_s, r.expected - r.delivered},
                               {u"deliveries_per_s"_s, double(r.delivered) / r.seconds},
                               {u"p50_ms"_s, percentile(allLat, 0.5)},
                               {u"p99_ms"_s, percentile(allLat, 0.99)},
                               {u"max_ms"_s, percentile(allLat, 1.0)},
                               {u"server_peak_rss_kib"_s, r.serverRssKiB},
                               {u"clients_on_first_server"_s, r.clientsOnFirst},
                               {u"rss_per_client_kib"_s,
                                double(r.serverRssKiB) / std::max(1, r.clientsOnFirst)},
                               {u"join_s"_s, r.joinSeconds},
                               {u"join_stalled"_s, r.joinStalled},
                               {u"fd_limit"_s, fdLimit},
                               {u"load1"_s, r.load1}};
                if (servers > 1) {
                    o.insert(u"p50_near_ms"_s, percentile(r.latencyNs[0], 0.5));
                    o.insert(u"p50_far_ms"_s, percentile(r.latencyNs[2], 0.5));
                    o.insert(u"per_hop_ms"_s,
                             (percentile(r.latencyNs[2], 0.5) - percentile(r.latencyNs[0], 0.5))
                                     / 2.0);
                }
                lost |= r.expected != r.delivered;
                out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
                out.flush();
            }
        }
    }
    // The raw clients above speak plain TCP to --plain servers; what TLS adds to a real
    // client's round trip is measured beside its plain baseline here.
    out << QJsonDocument(measureControlLatency(bin, 200)).toJson(QJsonDocument::Compact) << '\n';
    return lost ? 1 : 0;
}

} // namespace Bench
