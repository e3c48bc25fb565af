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

// One phase, or one round of it, in raw figures: a row's phase adds its rounds up.
struct PhaseTally
{
    double seconds = 0;
    qint64 sent = 0, expected = 0, delivered = 0;
    std::vector<double> workerCpuSeconds;
    double generatorCpuSeconds = 0;
    double serverCpuSeconds = -1; // -1: not our process
    std::vector<int64_t> latencies;

    void add(PhaseTally &&round)
    {
        seconds += round.seconds;
        sent += round.sent;
        expected += round.expected;
        delivered += round.delivered;
        workerCpuSeconds.resize(std::max(workerCpuSeconds.size(), round.workerCpuSeconds.size()));
        for (size_t i = 0; i < round.workerCpuSeconds.size(); ++i)
            workerCpuSeconds[i] += round.workerCpuSeconds[i];
        generatorCpuSeconds += round.generatorCpuSeconds;
        if (round.serverCpuSeconds >= 0)
            serverCpuSeconds = std::max(0.0, serverCpuSeconds) + round.serverCpuSeconds;
        latencies.insert(latencies.end(), round.latencies.begin(), round.latencies.end());
    }

    [[nodiscard]] PhaseResult result()
    {
        PhaseResult r;
        // Deliveries per second over sending time plus drain: what the server sustained.
        r.seconds = seconds;
        r.sent = sent;
        r.expected = expected;
        r.delivered = delivered;
        if (seconds <= 0)
            return r;
        for (double cpu : workerCpuSeconds)
            r.workerCpuPct.append(100.0 * cpu / seconds);
        r.generatorCpuPct = 100.0 * generatorCpuSeconds / seconds;
        if (serverCpuSeconds >= 0)
            r.serverCpuPct = 100.0 * serverCpuSeconds / seconds;
        std::sort(latencies.begin(), latencies.end());
        r.p50Ms = percentileMs(latencies, 0.5);
        r.p99Ms = percentileMs(latencies, 0.99);
        r.maxMs = percentileMs(latencies, 1.0);
        return r;
    }
};

PhaseTally runPhase(Gen::Generator &gen, const std::vector<std::unique_ptr<Gen::Conn>> &all,
                    Gen::SendMode mode, const VersusOptions &o, qint64 serverPid, int members)
{
    PhaseTally t;
    const std::vector<double> cpu0 = gen.workerCpuSeconds();
    const double process0 = processCpu();
    const double server0 = serverPid > 0 ? sampleProcess(serverPid).cpuSeconds : 0;
    QElapsedTimer wall;
    wall.start();
    gen.startPhase(all, mode, o.window, mode == Gen::SendMode::Rate ? o.rate : 0, o.senders,
                   o.senders);
    QThread::msleep(quint64(o.seconds * 1000));
    gen.stopSending();
    t.sent = gen.sent.load();
    t.expected = t.sent * (members - 1);
    // Whatever is still on its way is waited for (and counted), not lost.
    waitFor([&] { return gen.delivered.load() >= t.expected; }, 20000);
    t.seconds = double(wall.nsecsElapsed()) / 1e9;
    t.delivered = gen.delivered.load();
    const std::vector<double> cpu1 = gen.workerCpuSeconds();
    for (size_t i = 0; i < cpu1.size(); ++i)
        t.workerCpuSeconds.push_back(cpu1[i] - cpu0[i]);
    t.generatorCpuSeconds = processCpu() - process0;
    if (serverPid > 0)
        t.serverCpuSeconds = sampleProcess(serverPid).cpuSeconds - server0;
    t.latencies = gen.takeLatencies();
    return t;
}

// One server's simulated clients, joined and kept while other servers' phases run, so that
// the rounds of servers compared in one run can alternate.
class VersusSession
{
public:
    VersusSession(ChatTarget &target, const VersusOptions &o)
        : m_target(target)
        , m_o(o)
        , m_tls(target.tls)
    {
        m_row.target = target.name;
        m_row.requested = o.clients;
        m_row.senders = o.senders;
    }
    ~VersusSession() { finish(); }
    VersusSession(const VersusSession &) = delete;
    VersusSession &operator=(const VersusSession &) = delete;

    // Connects and joins every client. False when there is nothing to measure (an error, or
    // too few members).
    bool join();
    // One round of o.seconds of a phase, added to the row's figures for it.
    void runRound(Gen::SendMode mode)
    {
        (mode == Gen::SendMode::Rate ? m_latency : m_throughput)
                .add(runPhase(*m_gen, m_all, mode, m_o, m_target.pid, m_members));
    }
    // Stops the server and the generator; the row is complete from here on.
    VersusRow &finish();

private:
    ChatTarget &m_target;
    VersusOptions m_o;
    VersusRow m_row;
    TlsContext m_tls;
    std::unique_ptr<Gen::Driver> m_driver;
    std::vector<std::unique_ptr<Gen::Conn>> m_all;
    std::unique_ptr<Gen::Generator> m_gen;
    PhaseTally m_throughput;
    PhaseTally m_latency;
    int m_members = 0;
    bool m_finished = false;
};

bool VersusSession::join()
{
    m_row.load1 = loadAverage();
    m_row.rssBeforeKiB = sampleProcess(m_target.pid).rssKiB;
    m_driver = makeDriver(m_target, m_o.clients, &m_row.error);
    if (!m_driver)
        return false;
    for (int i = 0; i < m_o.clients; ++i) {
        auto c = std::make_unique<Gen::Conn>();
        c->index = i;
        c->sender = i < m_o.senders ? i : -1;
        m_all.push_back(std::move(c));
    }
    sockaddr_in to {};
    to.sin_family = AF_INET;
    to.sin_port = htons(m_target.port);
    if (inet_pton(AF_INET, m_target.host.toLatin1().constData(), &to.sin_addr) != 1) {
        m_row.error = u"%1 is not an IPv4 address"_s.arg(m_target.host);
        return false;
    }
    m_gen = std::make_unique<Gen::Generator>(*m_driver, m_o.workers, m_tls.ctx);
    Gen::Generator &gen = *m_gen;
    // A sliding window of connections in progress (opened, not yet joined): ngIRCd listens
    // with a backlog of 10, so more SYNs at once are dropped and retried a second later.
    QElapsedTimer joining, progress;
    const double process0 = processCpu();
    const double server0 = m_target.pid ? sampleProcess(m_target.pid).cpuSeconds : 0;
    joining.start();
    progress.start();
    int opened = 0;
    int64_t settled = 0;
    int64_t now = 0;
    while (opened < m_o.clients || settled < opened) {
        if (now != settled) {
            settled = now;
            progress.restart();
        }
        if (opened < m_o.clients && opened - settled < m_o.joinWindow) {
            gen.open(*m_all[size_t(opened)], to);
            ++opened;
            continue;
        }
        if (progress.elapsed() > 10000) {
            m_row.joinStalled = true; // the server takes no more in reasonable time
            break;
        }
        now = gen.waitForSettled(settled, std::chrono::milliseconds(100));
    }
    m_row.joinSeconds = double(joining.nsecsElapsed()) / 1e9;
    m_row.joinGeneratorCpuSeconds = processCpu() - process0;
    if (m_target.pid)
        m_row.joinServerCpuSeconds = sampleProcess(m_target.pid).cpuSeconds - server0;
    m_row.joined = int(gen.joined.load());
    QThread::msleep(500); // the last joins' presence settles before the RSS is read
    m_row.rssAfterKiB = sampleProcess(m_target.pid).rssKiB;
    m_members = int(gen.joined.load() - gen.closed.load());
    return m_members > m_o.senders;
}

VersusRow &VersusSession::finish()
{
    if (m_finished)
        return m_row;
    m_finished = true;
    m_row.throughput = m_throughput.result();
    m_row.latency = m_latency.result();
    if (m_gen) {
        m_row.hwmKiB = sampleProcess(m_target.pid).hwmKiB;
        m_row.closed = int(m_gen->closed.load());
    }
    // The server goes first: it would otherwise announce thousands of departures.
    stopTarget(m_target);
    m_gen.reset(); // the workers stop here
    for (auto &c : m_all) {
        if (c->ssl)
            SSL_free(c->ssl);
        if (c->fd >= 0)
            ::close(c->fd);
    }
    m_all.clear();
    return m_row;
}

} // namespace

QList<VersusRow> runVersusRows(const QList<ChatTarget *> &targets, const VersusOptions &o,
                               int rounds)
{
    std::vector<std::unique_ptr<VersusSession>> sessions;
    std::vector<VersusSession *> measured;
    for (ChatTarget *target : targets) {
        sessions.push_back(std::make_unique<VersusSession>(*target, o));
        if (sessions.back()->join())
            measured.push_back(sessions.back().get());
    }
    // The rounds alternate between the servers: the machine's speed drifts over minutes
    // (ngIRCd alone takes five to join 5000), and each server gets its share of every spell.
    for (const Gen::SendMode mode : {Gen::SendMode::Window, Gen::SendMode::Rate}) {
        for (int round = 0; round < std::max(1, rounds); ++round) {
            for (VersusSession *s : measured)
                s->runRound(mode);
        }
    }
    QList<VersusRow> rows;
    for (auto &s : sessions)
        rows.append(s->finish());
    return rows;
}

} // namespace Bench
