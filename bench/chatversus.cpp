#include <bench/chatversus.h>

#include <bench/chatdrivers.h>
#include <bench/loadgen.h>

#include <client/identityhello.h>
#include <client/servertrust.h>
#include <protocol/messagecodec.h>

#include <QElapsedTimer>
#include <QFile>
#include <QSslSocket>
#include <QThread>

#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

double loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    return f.open(QIODevice::ReadOnly) ? f.readAll().split(' ').value(0).toDouble() : -1;
}

double processCpu()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
            + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QThread::msleep(2);
    return done();
}

double percentileMs(std::vector<int64_t> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    return double(sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size())))]) / 1e6;
}

// The server's certificate hash, which a Hopshare hello signs over TLS (channel binding).
QByteArray hopshareBinding(const ChatTarget &target)
{
    QSslSocket probe;
    probe.setPeerVerifyMode(QSslSocket::VerifyNone);
    probe.connectToHostEncrypted(target.host, target.port);
    if (!probe.waitForEncrypted(5000))
        return {};
    const QByteArray hash = Client::ServerTrust::certificateHash(probe, true);
    probe.disconnectFromHost();
    return hash;
}

struct TlsContext
{
    SSL_CTX *ctx = nullptr;
    explicit TlsContext(bool on)
    {
        if (!on)
            return;
        ctx = SSL_CTX_new(TLS_client_method());
        // Self-signed servers on loopback: the bench measures, it does not authenticate.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
        // Buffers released when drained: 5000 idle connections holding 33 KiB each made the
        // generator fault in fresh pages through a join (0.8 of its 5 CPU-seconds).
        SSL_CTX_set_mode(ctx,
                         SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                                 | SSL_MODE_RELEASE_BUFFERS);
        // Without read-ahead OpenSSL reads a record's 5-byte header and then its body: two
        // read(2)s per record, and a client of a large room reads megabytes while joining.
        SSL_CTX_set_read_ahead(ctx, 1);
    }
    ~TlsContext()
    {
        if (ctx)
            SSL_CTX_free(ctx);
    }
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;
};

std::unique_ptr<Gen::Driver> makeDriver(const ChatTarget &target, int clients, QString *error)
{
    if (target.kind == ChatTarget::Kind::Irc)
        return std::make_unique<Gen::IrcDriver>("#bench", target.pid ? "bench" : "");
    QByteArray binding;
    if (target.tls) {
        binding = hopshareBinding(target);
        if (binding.isEmpty()) {
            *error = u"no TLS handshake with %1"_s.arg(target.name);
            return {};
        }
    }
    // One key for every simulated member: the server checks each hello's proof of possession,
    // not that keys differ; the signature is made per nick as a real client's would be.
    const Crypto::IdentityKey key = Crypto::IdentityKey::generate();
    std::vector<std::string> hellos;
    for (int i = 0; i < clients; ++i) {
        const QByteArray f = Protocol::encodeMessageFrame(
                Client::signedHello(key, u"m%1"_s.arg(i), u"bench"_s, binding));
        hellos.emplace_back(f.constData(), size_t(f.size()));
    }
    return std::make_unique<Gen::HopshareDriver>(std::move(hellos), "bench");
}

PhaseResult runPhase(Gen::Generator &gen, const std::vector<std::unique_ptr<Gen::Conn>> &all,
                     Gen::SendMode mode, const VersusOptions &o, qint64 serverPid, int members)
{
    PhaseResult r;
    const std::vector<double> cpu0 = gen.workerCpuSeconds();
    const double process0 = processCpu();
    const double server0 = sampleProcess(serverPid).cpuSeconds;
    QElapsedTimer wall;
    wall.start();
    gen.startPhase(all, mode, o.window, mode == Gen::SendMode::Rate ? o.rate : 0, o.senders,
                   o.senders);
    QThread::msleep(quint64(o.seconds * 1000));
    gen.stopSending();
    r.seconds = double(wall.nsecsElapsed()) / 1e9;
    r.sent = gen.sent.load();
    r.expected = r.sent * (members - 1);
    // Whatever is still on its way is waited for (and counted), not lost.
    waitFor([&] { return gen.delivered.load() >= r.expected; }, 20000);
    const double drained = double(wall.nsecsElapsed()) / 1e9;
    r.delivered = gen.delivered.load();
    // Deliveries per second over sending time plus drain: what the server sustained.
    r.seconds = drained;
    const std::vector<double> cpu1 = gen.workerCpuSeconds();
    for (size_t i = 0; i < cpu1.size(); ++i)
        r.workerCpuPct.append(100.0 * (cpu1[i] - cpu0[i]) / drained);
    r.generatorCpuPct = 100.0 * (processCpu() - process0) / drained;
    if (serverPid > 0)
        r.serverCpuPct = 100.0 * (sampleProcess(serverPid).cpuSeconds - server0) / drained;
    std::vector<int64_t> latencies = gen.takeLatencies();
    std::sort(latencies.begin(), latencies.end());
    r.p50Ms = percentileMs(latencies, 0.5);
    r.p99Ms = percentileMs(latencies, 0.99);
    r.maxMs = percentileMs(latencies, 1.0);
    return r;
}

} // namespace

VersusRow runVersusRow(ChatTarget &target, const VersusOptions &o)
{
    VersusRow row;
    row.target = target.name;
    row.requested = o.clients;
    row.senders = o.senders;
    row.load1 = loadAverage();
    const ProcessSample before = sampleProcess(target.pid);
    row.rssBeforeKiB = before.rssKiB;
    auto driver = makeDriver(target, o.clients, &row.error);
    if (!driver)
        return row;
    TlsContext tls(target.tls);
    std::vector<std::unique_ptr<Gen::Conn>> all;
    for (int i = 0; i < o.clients; ++i) {
        auto c = std::make_unique<Gen::Conn>();
        c->index = i;
        c->sender = i < o.senders ? i : -1;
        all.push_back(std::move(c));
    }
    sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_port = htons(target.port);
    if (inet_pton(AF_INET, target.host.toLatin1().constData(), &to.sin_addr) != 1) {
        row.error = u"%1 is not an IPv4 address"_s.arg(target.host);
        return row;
    }
    {
        Gen::Generator gen(*driver, o.workers, tls.ctx);
        // A sliding window of connections in progress (opened, not yet joined): ngIRCd listens
        // with a backlog of 10, so more SYNs at once are dropped and retried a second later.
        QElapsedTimer joining, progress;
        const double process0 = processCpu();
        const double server0 = target.pid ? sampleProcess(target.pid).cpuSeconds : 0;
        joining.start();
        progress.start();
        int opened = 0;
        int64_t settled = 0;
        int64_t now = 0;
        while (opened < o.clients || settled < opened) {
            if (now != settled) {
                settled = now;
                progress.restart();
            }
            if (opened < o.clients && opened - settled < o.joinWindow) {
                gen.open(*all[size_t(opened)], to);
                ++opened;
                continue;
            }
            if (progress.elapsed() > 10000) {
                row.joinStalled = true; // the server takes no more in reasonable time
                break;
            }
            now = gen.waitForSettled(settled, std::chrono::milliseconds(100));
        }
        row.joinSeconds = double(joining.nsecsElapsed()) / 1e9;
        row.joinGeneratorCpuSeconds = processCpu() - process0;
        if (target.pid)
            row.joinServerCpuSeconds = sampleProcess(target.pid).cpuSeconds - server0;
        row.joined = int(gen.joined.load());
        QThread::msleep(500); // the last joins' presence settles before the RSS is read
        const ProcessSample after = sampleProcess(target.pid);
        row.rssAfterKiB = after.rssKiB;
        const int members = int(gen.joined.load() - gen.closed.load());
        if (members > o.senders) {
            row.throughput = runPhase(gen, all, Gen::SendMode::Window, o, target.pid, members);
            row.latency = runPhase(gen, all, Gen::SendMode::Rate, o, target.pid, members);
        }
        row.hwmKiB = sampleProcess(target.pid).hwmKiB;
        row.closed = int(gen.closed.load());
        // The server goes first: it would otherwise announce thousands of departures.
        stopTarget(target);
    } // the workers stop here
    for (auto &c : all) {
        if (c->ssl)
            SSL_free(c->ssl);
        if (c->fd >= 0)
            ::close(c->fd);
    }
    return row;
}

} // namespace Bench
