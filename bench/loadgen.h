#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <pthread.h>
#include <time.h>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace Bench::Gen {

// One simulated chat client: a raw non-blocking socket (TLS on top when the generator has a
// context), owned by one worker thread once connected.
struct Conn
{
    int fd = -1;
    SSL *ssl = nullptr;
    bool established = false; // TCP connected and, with TLS, handshaken: the greeting went out
    bool closed = false;
    bool wantWrite = false;
    bool joined = false;
    std::string out; // not yet taken by the kernel (or by SSL_write)
    std::string in; // an incomplete unit (line, or frame head / small frame) carried over
    size_t inOffset = 0;
    size_t skip = 0; // bytes of a frame the driver does not need, still to arrive
    int index = 0;
    int sender = -1; // this client's sender number, -1: only receives
    int64_t sent = 0;
    int64_t nextDueNs = 0; // fixed-rate mode: when this sender's next message is due
};

class Generator;

// A chat protocol as the generator speaks it (Hopshare frames or IRC lines).
class Driver
{
public:
    virtual ~Driver() = default;
    // What a client sends once its stream is up: hello/NICK and the join when the protocol allows.
    [[nodiscard]] virtual std::string greeting(const Conn &c) = 0;
    // Takes the bytes of one read, reporting complete units to `gen`; what it needs of an
    // incomplete unit it keeps in the connection.
    virtual void consume(Conn &c, Generator &gen, std::string_view data) = 0;
    // One chat message from `c` carrying the sender number and the send time.
    [[nodiscard]] virtual std::string message(const Conn &c, int64_t stampNs) = 0;
};

// Sending schedule of a phase.
enum class SendMode { Idle, Window, Rate };

// N clients spread over a few worker threads, each with its own epoll set, so that the generator
// is not what limits a chat server's fan-out. The main thread opens connections and steers the
// phases; the workers do all socket I/O and count what arrives.
class Generator
{
public:
    Generator(Driver &driver, int workers, SSL_CTX *tls);
    ~Generator();
    Generator(const Generator &) = delete;
    Generator &operator=(const Generator &) = delete;

    // Starts connecting `c` to `to`; false if no socket could be made.
    bool open(Conn &c, const sockaddr_in &to);
    // Which clients count deliveries: every joined client from now on; counters reset.
    void startPhase(const std::vector<std::unique_ptr<Conn>> &all, SendMode mode, int window,
                    double totalRate, int senders, int watcherIndex);
    // Returns once no worker sends any more, so that `sent` read after it is final.
    void stopSending();
    // Latencies (ns) recorded since startPhase, taken out of the workers.
    [[nodiscard]] std::vector<int64_t> takeLatencies();
    [[nodiscard]] std::vector<double> workerCpuSeconds() const;
    [[nodiscard]] int workers() const { return int(m_workers.size()); }
    // Clients joined or closed so far; waits up to `timeout` for it to differ from `seen`
    // (a sleeping poll of the counters cost the generator's main thread 6 % of its CPU).
    int64_t waitForSettled(int64_t seen, std::chrono::milliseconds timeout);

    std::atomic<int64_t> joined {0};
    std::atomic<int64_t> closed {0};
    std::atomic<int64_t> delivered {0};
    std::atomic<int64_t> sent {0};

    // Called by drivers from a worker thread.
    void onJoined(Conn &c);
    void onMessage(Conn &c, int sender, int64_t stampNs);
    void reply(Conn &c, std::string_view bytes);
    [[nodiscard]] static int64_t nowNs();

private:
    struct Worker
    {
        int epoll = -1;
        std::thread thread;
        std::mutex lock; // latencies and senders, shared with the main thread
        std::vector<int64_t> latencies;
        std::vector<Conn *> senders;
        clockid_t cpuClock {}; // the thread's CPU clock, read by the main thread
    };
    void loop(Worker &w);
    void pump(Worker &w);
    void handle(Conn &c, uint32_t events);
    void establish(Conn &c);
    void readFrom(Conn &c);
    void flush(Conn &c);
    void arm(Conn &c, bool write);
    void closeConn(Conn &c);
    void notifySettled();

    Driver &m_driver;
    SSL_CTX *m_tls;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::atomic<bool> m_stop {false};
    std::atomic<SendMode> m_mode {SendMode::Idle};
    std::atomic<int> m_window {8};
    std::atomic<int64_t> m_intervalNs {0};
    std::atomic<int> m_watcher {-1};
    std::atomic<bool> m_counting {false};
    std::mutex m_settleLock;
    std::condition_variable m_settled; // a client joined or closed
    std::unique_ptr<std::atomic<int64_t>[]> m_acked; // per sender, as the watcher saw them
    static constexpr int m_maxSenders = 1024;
};

} // namespace Bench::Gen
