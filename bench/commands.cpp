#include <bench/commands.h>

#include <bench/cliutil.h>
#include <bench/concurrencysweep.h>
#include <bench/cputime.h>
#include <bench/enginerunner.h>
#include <bench/relaybench.h>
#include <bench/servefetch.h>
#include <bench/tcpbaseline.h>
#include <bench/transfersweep.h>

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QTextStream>

#include <map>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString &message)
{
    err() << u"hopshare-bench: "_s << message << Qt::endl;
    return 2;
}

const QCommandLineOption kOut(u"out"_s, u"Output directory or file."_s, u"path"_s);
const QCommandLineOption kQuick(u"quick"_s, u"A CI-sized run: few points, small file."_s);
const QCommandLineOption kFileSize(u"file-size"_s, u"File size per point, e.g. 16MiB."_s,
                                   u"size"_s);
const QCommandLineOption kImpair(u"impair"_s, u"Impairment spec, e.g. loss=5%,delay=20ms."_s,
                                 u"spec"_s);
const QCommandLineOption kListen(u"listen"_s, u"ADDRESS:PORT to listen on."_s, u"endpoint"_s);
const QCommandLineOption kMode(u"mode"_s, u"sr (default) or gbn."_s, u"mode"_s, u"sr"_s);
const QCommandLineOption kCc(u"cc"_s,
                             u"Congestion control: bbr (default) or newreno; for "
                             u"tcp-*: any kernel name (bbr, cubic, reno)."_s,
                             u"name"_s);
const QCommandLineOption kTimeout(u"timeout"_s, u"Give up after this many seconds."_s, u"seconds"_s,
                                  u"120"_s);
const QCommandLineOption kCount(u"count"_s,
                                u"serve: uploads before exiting; fetch: simultaneous downloads "
                                u"(written to PATH.0, PATH.1, ...)."_s,
                                u"n"_s, u"1"_s);
const QCommandLineOption kPlain(u"plain"_s,
                                u"Unencrypted transfers (baseline): serve allows, fetch asks."_s);
const QCommandLineOption
        kRelay(u"relay"_s, u"Through the relay session at ADDRESS:PORT (hopshare-bench relay)."_s,
               u"endpoint"_s);
const QCommandLineOption kRelayToken(u"relay-token"_s, u"The relay session's token (hex)."_s,
                                     u"hex"_s);
const QCommandLineOption kRelayRate(u"rate"_s,
                                    u"relay: bytes per second per direction (default: the "
                                    u"server's, 125000000)."_s,
                                    u"bytes"_s);
const QCommandLineOption kMax(u"max"_s, u"Largest number of simultaneous downloads."_s, u"n"_s,
                              u"16"_s);

// Parses args with the given options; on error prints it and returns false.
bool parse(QCommandLineParser &parser, const QStringList &args, const QString &positional,
           const QList<QCommandLineOption> &options, int positionals)
{
    parser.addHelpOption();
    parser.addOptions(options);
    if (!positional.isEmpty())
        parser.addPositionalArgument(positional, positional);
    if (!parser.parse(args)) {
        fail(parser.errorText());
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << parser.helpText();
        return false;
    }
    if (parser.positionalArguments().size() != positionals) {
        fail(u"expected %1 argument(s); see --help"_s.arg(positionals));
        return false;
    }
    return true;
}

bool commonTransferOptions(const QCommandLineParser &parser, ServeFetchOptions *o)
{
    QString error;
    if (parser.isSet(kImpair)) {
        const auto spec = Transfer::ImpairmentSpec::parse(parser.value(kImpair), &error);
        if (!spec)
            return fail(error), false;
        o->impairment = *spec;
    }
    const QString mode = parser.value(kMode).toLower();
    if (mode != u"sr"_s && mode != u"gbn"_s)
        return fail(u"--mode must be sr or gbn"_s), false;
    o->mode = mode == u"gbn"_s ? ArqMode::GoBackN : ArqMode::SelectiveRepeat;
    const QString cc = parser.value(kCc).toLower();
    if (!cc.isEmpty() && cc != u"bbr"_s && cc != u"newreno"_s)
        return fail(u"--cc must be bbr or newreno"_s), false;
    o->controller = cc == u"newreno"_s ? Controller::NewReno : Controller::Default;
    o->timeoutMs = parser.value(kTimeout).toInt() * 1000;
    if (o->timeoutMs <= 0)
        return fail(u"--timeout must be a positive number of seconds"_s), false;
    o->count = parser.value(kCount).toInt();
    if (o->count < 1 || o->count > 64)
        return fail(u"--count must be 1..64"_s), false;
    o->plain = parser.isSet(kPlain);
    if (parser.isSet(kRelay)) {
        o->relay = parseEndpoint(parser.value(kRelay), &error);
        if (!o->relay)
            return fail(u"--relay: "_s + error), false;
        o->relayToken = QByteArray::fromHex(parser.value(kRelayToken).toLatin1());
        if (o->relayToken.size() != 16)
            return fail(u"--relay needs --relay-token with 32 hex digits"_s), false;
    }
    return true;
}

int runTransfer(const QStringList &args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, {}, {kOut, kQuick, kFileSize, kTimeout}, 0))
        return parser.isSet(u"help"_s) ? 0 : 2;
    TransferSweepConfig config
            = parser.isSet(kQuick) ? TransferSweepConfig::quick() : TransferSweepConfig {};
    QString error;
    if (parser.isSet(kFileSize)) {
        const auto size = parseSize(parser.value(kFileSize), &error);
        if (!size)
            return fail(error);
        config.fileSize = *size;
    }
    if (parser.isSet(kTimeout))
        config.pointTimeoutMs = parser.value(kTimeout).toInt() * 1000;
    config.outDir = parser.isSet(kOut) ? parser.value(kOut) : u"bench-results"_s;
    auto runner = makeEngineRunner(&error);
    if (!runner)
        return fail(error);
    TransferSweep sweep(*runner, config);
    return sweep.run(&error) ? 0 : fail(error);
}

int runConcurrency(const QStringList &args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, {}, {kOut, kQuick, kFileSize, kImpair, kMax, kTimeout}, 0))
        return parser.isSet(u"help"_s) ? 0 : 2;
    ConcurrencySweepConfig config;
    QString error;
    if (parser.isSet(kQuick)) {
        config.fileSize = 2 << 20;
        config.counts = {1, 2, 4};
    }
    if (parser.isSet(kFileSize)) {
        const auto size = parseSize(parser.value(kFileSize), &error);
        if (!size)
            return fail(error);
        config.fileSize = *size;
    }
    if (parser.isSet(kMax)) {
        const int max = parser.value(kMax).toInt();
        if (max < 1 || max > 64)
            return fail(u"--max must be 1..64"_s);
        config.counts.clear();
        for (int n = 1; n <= max; n *= 2)
            config.counts << n;
        if (config.counts.last() != max)
            config.counts << max;
    }
    if (parser.isSet(kImpair)) {
        const auto spec = Transfer::ImpairmentSpec::parse(parser.value(kImpair), &error);
        if (!spec)
            return fail(error);
        config.dataPath = *spec;
    }
    if (parser.isSet(kTimeout))
        config.timeoutMs = parser.value(kTimeout).toInt() * 1000;
    config.outDir = parser.isSet(kOut) ? parser.value(kOut) : u"bench-results"_s;
    auto runner = makeEngineRunner(&error);
    if (!runner)
        return fail(error);
    ConcurrencySweep sweep(*runner, config);
    return sweep.run(&error) ? 0 : fail(error);
}

int runServe(const QStringList &args, bool tcp)
{
    QCommandLineParser parser;
    const QList<QCommandLineOption> options = tcp
            ? QList<QCommandLineOption> {kListen, kCc, kTimeout}
            : QList<QCommandLineOption> {kListen, kImpair, kMode,  kCc,        kTimeout,
                                         kCount,  kPlain,  kRelay, kRelayToken};
    if (!parse(parser, args, u"FILE"_s, options, 1))
        return parser.isSet(u"help"_s) ? 0 : 2;
    QString error;
    const auto endpoint = parseEndpoint(parser.value(kListen), &error);
    if (!endpoint)
        return fail(u"--listen: "_s + error);
    if (tcp) {
        const double cpu0 = processCpuSeconds();
        Measurement m = TcpBaseline(parser.value(kCc))
                                .serve(parser.positionalArguments().at(0), endpoint->address,
                                       endpoint->port, parser.value(kTimeout).toInt() * 1000);
        m.cpuSenderSeconds = processCpuSeconds() - cpu0;
        printJsonLine(m.toJson());
        return m.verified ? 0 : 1;
    }
    ServeFetchOptions o;
    o.endpoint = *endpoint;
    o.path = parser.positionalArguments().at(0);
    if (!commonTransferOptions(parser, &o))
        return 2;
    return ServeFetch::serve(o);
}

int runFetch(const QStringList &args, bool tcp)
{
    QCommandLineParser parser;
    const QList<QCommandLineOption> options = tcp
            ? QList<QCommandLineOption> {kOut, kCc, kTimeout}
            : QList<QCommandLineOption> {kOut,   kImpair, kMode,  kCc,        kTimeout,
                                         kCount, kPlain,  kRelay, kRelayToken};
    if (!parse(parser, args, u"ADDRESS:PORT"_s, options, 1))
        return parser.isSet(u"help"_s) ? 0 : 2;
    QString error;
    const auto endpoint = parseEndpoint(parser.positionalArguments().at(0), &error);
    if (!endpoint)
        return fail(error);
    if (!parser.isSet(kOut))
        return fail(u"--out PATH is required"_s);
    if (tcp) {
        const double cpu0 = processCpuSeconds();
        Measurement m = TcpBaseline(parser.value(kCc))
                                .fetch(endpoint->address, endpoint->port, parser.value(kOut),
                                       parser.value(kTimeout).toInt() * 1000);
        m.cpuReceiverSeconds = processCpuSeconds() - cpu0;
        QJsonObject line = m.toJson();
        line.insert(u"transport"_s, u"tcp"_s);
        line.insert(u"cc"_s, parser.value(kCc).isEmpty() ? u"default"_s : parser.value(kCc));
        printJsonLine(line);
        return m.verified ? 0 : 1;
    }
    ServeFetchOptions o;
    o.endpoint = *endpoint;
    o.path = parser.value(kOut);
    if (!commonTransferOptions(parser, &o))
        return 2;
    return ServeFetch::fetch(o);
}

int runRelay(const QStringList &args)
{
    QCommandLineParser parser;
    if (!parse(parser, args, {}, {kListen, kTimeout, kRelayRate}, 0))
        return parser.isSet(u"help"_s) ? 0 : 2;
    RelayBenchOptions o;
    if (parser.isSet(kRelayRate)) {
        bool ok = false;
        o.bytesPerSecond = parser.value(kRelayRate).toULongLong(&ok);
        if (!ok || o.bytesPerSecond == 0)
            return fail(u"--rate takes bytes per second, more than 0"_s);
    }
    o.address = QHostAddress(parser.value(kListen));
    if (o.address.isNull())
        return fail(u"--listen takes an IP address"_s);
    o.timeoutMs = parser.value(kTimeout).toInt() * 1000;
    if (o.timeoutMs <= 0)
        return fail(u"--timeout must be a positive number of seconds"_s);
    return runRelaySession(o);
}

} // namespace

Command findCommand(const QString &name)
{
    static const std::map<QString, Command> commands = {
            {u"transfer"_s, runTransfer},
            {u"concurrency"_s, runConcurrency},
            {u"serve"_s, [](const QStringList &a) { return runServe(a, false); }},
            {u"fetch"_s, [](const QStringList &a) { return runFetch(a, false); }},
            {u"tcp-serve"_s, [](const QStringList &a) { return runServe(a, true); }},
            {u"tcp-fetch"_s, [](const QStringList &a) { return runFetch(a, true); }},
            {u"relay"_s, runRelay},
    };
    const auto it = commands.find(name);
    return it == commands.end() ? Command {} : it->second;
}

QString usage()
{
    return u"usage: hopshare-bench COMMAND [options]   (COMMAND --help for its options)\n"
           u"  transfer     loss x delay x mode x controller sweep on loopback, TCP baseline\n"
           u"  concurrency  one uploader, 1..N simultaneous downloads, fairness\n"
           u"  serve FILE --listen ADDR:PORT [--impair SPEC]   send one file, then exit\n"
           u"  fetch ADDR:PORT --out PATH [--impair SPEC]      download, verify, print JSON\n"
           u"  tcp-serve FILE --listen ADDR:PORT [--cc NAME]   the same over kernel TCP\n"
           u"  tcp-fetch ADDR:PORT --out PATH [--cc NAME]\n"
           u"  relay --listen ADDR                             one server relay session for\n"
           u"                                                  serve/fetch --relay --relay-token\n"_s;
}

} // namespace Bench
