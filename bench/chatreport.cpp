// hopshare-bench chat --gen / --irc / --ngircd-bin: runs the versus rows and reports them as a
// table, CSV, JSON and a PNG plot.

#include <bench/chatversus.h>
#include <bench/plotter.h>

#include <server-console/filelimit.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

QJsonObject phaseJson(const PhaseResult &p)
{
    QJsonArray workers;
    for (double w : p.workerCpuPct)
        workers.append(w);
    return {{u"seconds"_s, p.seconds},
            {u"sent"_s, p.sent},
            {u"expected"_s, p.expected},
            {u"delivered"_s, p.delivered},
            {u"lost"_s, p.expected - p.delivered},
            {u"deliveries_per_s"_s, p.deliveriesPerSecond()},
            {u"p50_ms"_s, p.p50Ms},
            {u"p99_ms"_s, p.p99Ms},
            {u"max_ms"_s, p.maxMs},
            {u"generator_worker_cpu_pct"_s, workers},
            {u"generator_process_cpu_pct"_s, p.generatorCpuPct},
            {u"server_cpu_pct"_s, p.serverCpuPct}};
}

QJsonObject rowJson(const VersusRow &r)
{
    return {{u"server"_s, r.target},
            {u"clients_requested"_s, r.requested},
            {u"clients"_s, r.joined},
            {u"closed"_s, r.closed},
            {u"senders"_s, r.senders},
            {u"join_s"_s, r.joinSeconds},
            {u"join_server_cpu_s"_s, r.joinServerCpuSeconds},
            {u"join_generator_cpu_s"_s, r.joinGeneratorCpuSeconds},
            {u"join_stalled"_s, r.joinStalled},
            {u"server_rss_before_kib"_s, r.rssBeforeKiB},
            {u"server_rss_after_join_kib"_s, r.rssAfterKiB},
            {u"server_hwm_kib"_s, r.hwmKiB},
            {u"rss_per_client_kib"_s, r.rssPerClientKiB()},
            {u"throughput"_s, phaseJson(r.throughput)},
            {u"latency"_s, phaseJson(r.latency)},
            {u"load1"_s, r.load1},
            {u"error"_s, r.error}};
}

QString workersText(const PhaseResult &p)
{
    QStringList parts;
    for (double w : p.workerCpuPct)
        parts << QString::number(w, 'f', 0);
    return parts.join(u'/');
}

void printTable(QTextStream &out, const QList<VersusRow> &rows)
{
    out << u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(u"server"_s, -15)
                    .arg(u"N"_s, 5)
                    .arg(u"deliv/s"_s, 10)
                    .arg(u"lost"_s, 6)
                    .arg(u"gen cpu% (thr)"_s, 16)
                    .arg(u"srv cpu%"_s, 8)
                    .arg(u"20/s p50/p99/max ms"_s, 22)
                    .arg(u"join s (cpu s srv/gen)"_s, 22)
                    .arg(u"KiB/client (HWM MiB)"_s, 22)
        << '\n';
    for (const VersusRow &r : rows) {
        const PhaseResult &t = r.throughput, &l = r.latency;
        out << u"%1 %2 %3 %4 %5 %6 %7 %8 %9"_s.arg(r.target, -15)
                        .arg(r.joined, 5)
                        .arg(t.deliveriesPerSecond(), 10, 'f', 0)
                        .arg(u"%1+%2"_s.arg(t.expected - t.delivered).arg(l.expected - l.delivered),
                             6)
                        .arg(u"%1 (%2)"_s.arg(t.generatorCpuPct, 0, 'f', 0).arg(workersText(t)), 16)
                        .arg(t.serverCpuPct, 8, 'f', 0)
                        .arg(u"%1/%2/%3"_s.arg(l.p50Ms, 0, 'f', 1)
                                     .arg(l.p99Ms, 0, 'f', 1)
                                     .arg(l.maxMs, 0, 'f', 1),
                             22)
                        .arg(u"%1 (%2/%3)"_s.arg(r.joinSeconds, 0, 'f', 2)
                                     .arg(r.joinServerCpuSeconds, 0, 'f', 1)
                                     .arg(r.joinGeneratorCpuSeconds, 0, 'f', 1),
                             22)
                        .arg(u"%1 (%2)"_s.arg(r.rssPerClientKiB(), 0, 'f', 1)
                                     .arg(double(r.hwmKiB) / 1024.0, 0, 'f', 0),
                             22);
        if (r.joinStalled)
            out << u"  join stalled"_s;
        if (!r.error.isEmpty())
            out << u"  error: "_s << r.error;
        out << '\n';
    }
    out.flush();
}

bool writeFiles(const QString &dir, const QList<VersusRow> &rows, QString *error)
{
    QDir().mkpath(dir);
    const QDir out(dir);
    QFile csv(out.filePath(u"chat-vs-ngircd.csv"_s));
    if (!csv.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write %1"_s.arg(csv.fileName());
        return false;
    }
    QTextStream c(&csv);
    c << "server,clients,deliveries_per_s,tp_lost,tp_p50_ms,tp_p99_ms,gen_cpu_pct,gen_worker_cpu_"
         "pct,"
         "server_cpu_pct,rate_p50_ms,rate_p99_ms,rate_max_ms,rate_lost,join_s,join_server_cpu_s,"
         "join_gen_cpu_s,rss_per_client_kib,"
         "server_hwm_kib,load1\n";
    QJsonArray json;
    for (const VersusRow &r : rows) {
        const PhaseResult &t = r.throughput, &l = r.latency;
        c << r.target << ',' << r.joined << ',' << t.deliveriesPerSecond() << ','
          << (t.expected - t.delivered) << ',' << t.p50Ms << ',' << t.p99Ms << ','
          << t.generatorCpuPct << ',' << workersText(t) << ',' << t.serverCpuPct << ',' << l.p50Ms
          << ',' << l.p99Ms << ',' << l.maxMs << ',' << (l.expected - l.delivered) << ','
          << r.joinSeconds << ',' << r.joinServerCpuSeconds << ',' << r.joinGeneratorCpuSeconds
          << ',' << r.rssPerClientKiB() << ',' << r.hwmKiB << ',' << r.load1 << '\n';
        json.append(rowJson(r));
    }
    QFile j(out.filePath(u"chat-vs-ngircd.json"_s));
    if (!j.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write %1"_s.arg(j.fileName());
        return false;
    }
    j.write(QJsonDocument(json).toJson());
    // Two charts: deliveries/s and p99 at the fixed rate, one line per server, by client count.
    PlotSpec rate {u"Chat fan-out, one room"_s, u"clients"_s, u"deliveries/s"_s, {}, {}, {}, true};
    PlotSpec p99 {u"Delivery latency p99 at the fixed rate"_s,
                  u"clients"_s,
                  u"p99 (ms)"_s,
                  {},
                  {},
                  {},
                  true};
    for (const VersusRow &r : rows) {
        auto add = [&r](PlotSpec &spec, double y) {
            auto it = std::find_if(spec.series.begin(), spec.series.end(),
                                   [&r](const PlotSeries &s) { return s.name == r.target; });
            if (it == spec.series.end()) {
                spec.series.append({r.target, {}, {}});
                it = spec.series.end() - 1;
            }
            it->x.append(r.joined);
            it->y.append(y);
        };
        add(rate, r.throughput.deliveriesPerSecond());
        add(p99, r.latency.p99Ms);
    }
    return Plotter::savePng(rate, out.filePath(u"chat-vs-ngircd.png"_s), error)
            && Plotter::savePng(p99, out.filePath(u"chat-vs-ngircd-p99.png"_s), error);
}

} // namespace

int runChatVersus(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions(
            {{u"gen"_s, u"Use the threaded epoll/TLS generator (implied by the next two)."_s},
             {u"irc"_s, u"Also drive the IRC server at IPV4:PORT (plain)."_s, u"HOST:PORT"_s},
             {u"ngircd-bin"_s, u"Also start ngircd (plain and TLS rows)."_s, u"PATH"_s},
             {u"clients"_s, u"Comma-separated client counts (default 1000)."_s, u"N"_s},
             {u"senders"_s, u"Senders in the room (default 10)."_s, u"N"_s},
             {u"seconds"_s, u"Time per phase (default 5)."_s, u"S"_s},
             {u"window"_s, u"Messages in flight per sender (default 8)."_s, u"N"_s},
             {u"rate"_s, u"Messages/s into the room, latency phase (default 20)."_s, u"R"_s},
             {u"workers"_s, u"Generator threads (default 2)."_s, u"N"_s},
             {u"join-window"_s, u"Connections in progress while joining (default 8)."_s, u"N"_s},
             {u"rounds"_s,
              u"Rounds of --seconds of each phase per server, alternating between the servers "
              "of one transport (default 3)."_s,
              u"N"_s},
             {u"no-plain"_s, u"Skip the plain (non-TLS) rows."_s},
             {u"out"_s, u"Write chat-vs-ngircd.{csv,json,png} into DIR."_s, u"DIR"_s},
             {u"server-bin"_s, u"Path of hopshare-server."_s, u"PATH"_s},
             {u"line"_s, u"(only without --gen)"_s},
             {u"server-log"_s, u"(only without --gen)"_s, u"DIR"_s}});
    p.addHelpOption();
    p.process(args);
    QTextStream err(stderr);
    VersusOptions o;
    if (p.isSet(u"senders"_s))
        o.senders = std::clamp(p.value(u"senders"_s).split(u',').value(0).toInt(), 1, 1000);
    if (p.isSet(u"seconds"_s))
        o.seconds = std::clamp(p.value(u"seconds"_s).toDouble(), 0.5, 60.0);
    if (p.isSet(u"window"_s))
        o.window = std::clamp(p.value(u"window"_s).toInt(), 1, 1000);
    if (p.isSet(u"rate"_s))
        o.rate = std::clamp(p.value(u"rate"_s).toDouble(), 0.1, 100000.0);
    if (p.isSet(u"workers"_s))
        o.workers = std::clamp(p.value(u"workers"_s).toInt(), 1, 64);
    if (p.isSet(u"join-window"_s))
        o.joinWindow = std::clamp(p.value(u"join-window"_s).toInt(), 1, 10000);
    const int rounds = p.isSet(u"rounds"_s) ? std::clamp(p.value(u"rounds"_s).toInt(), 1, 20) : 3;
    QList<int> counts;
    for (const QString &s : p.value(u"clients"_s).isEmpty() ? QStringList {u"1000"_s}
                                                            : p.value(u"clients"_s).split(u','))
        counts.append(std::clamp(s.toInt(), 2, 50000));
    const QString bin = p.isSet(u"server-bin"_s)
            ? p.value(u"server-bin"_s)
            : QDir(QCoreApplication::applicationDirPath())
                      .filePath(u"../server-console/hopshare-server"_s);
    ::Server::raiseFileLimit();
    QList<VersusRow> rows;
    QTextStream out(stdout);
    // The servers of one transport are measured together: joined one after the other, then
    // their rounds of each phase alternate.
    auto record = [&](QList<ChatTarget> targets, int clients) {
        QList<ChatTarget *> running;
        QList<VersusRow> failed;
        for (ChatTarget &target : targets) {
            if (target.error.isEmpty()) {
                running.append(&target);
                continue;
            }
            VersusRow row;
            row.target = target.name;
            row.requested = clients;
            row.error = target.error;
            stopTarget(target);
            failed.append(row);
        }
        VersusOptions each = o;
        each.clients = clients;
        const QList<VersusRow> measured
                = running.isEmpty() ? QList<VersusRow>() : runVersusRows(running, each, rounds);
        for (const VersusRow &row : measured + failed) {
            out << QJsonDocument(rowJson(row)).toJson(QJsonDocument::Compact) << '\n';
            out.flush();
            rows.append(row);
        }
    };
    const bool plain = !p.isSet(u"no-plain"_s);
    const bool ngircd = p.isSet(u"ngircd-bin"_s);
    for (int n : counts) {
        QList<ChatTarget> tls {startHopshare(bin, true)};
        if (ngircd)
            tls.append(startNgircd(p.value(u"ngircd-bin"_s), true));
        record(tls, n);
        if (plain) {
            QList<ChatTarget> clear {startHopshare(bin, false)};
            if (ngircd)
                clear.append(startNgircd(p.value(u"ngircd-bin"_s), false));
            record(clear, n);
        }
        if (p.isSet(u"irc"_s)) {
            ChatTarget irc;
            irc.kind = ChatTarget::Kind::Irc;
            irc.name = u"irc %1"_s.arg(p.value(u"irc"_s));
            const QStringList hp = p.value(u"irc"_s).split(u':');
            irc.host = hp.value(0);
            irc.port = quint16(hp.value(1).toUInt());
            if (irc.port == 0)
                irc.error = u"--irc wants HOST:PORT"_s;
            record({irc}, n);
        }
    }
    out << '\n';
    printTable(out, rows);
    if (p.isSet(u"out"_s)) {
        QString error;
        if (!writeFiles(p.value(u"out"_s), rows, &error)) {
            err << "bench: " << error << '\n';
            return 1;
        }
    }
    const bool lost = std::any_of(rows.begin(), rows.end(), [](const VersusRow &r) {
        return !r.error.isEmpty() || r.throughput.expected != r.throughput.delivered
                || r.latency.expected != r.latency.delivered;
    });
    return lost ? 1 : 0;
}

} // namespace Bench
