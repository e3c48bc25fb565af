#include <bench/loadgen.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>

namespace Bench::Gen {

int64_t Generator::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
}

Generator::Generator(Driver &driver, int workers, SSL_CTX *tls)
    : m_driver(driver)
    , m_tls(tls)
    , m_acked(new std::atomic<int64_t>[size_t(m_maxSenders)])
{
    for (int i = 0; i < m_maxSenders; ++i)
        m_acked[size_t(i)].store(0);
    for (int i = 0; i < std::max(1, workers); ++i) {
        auto w = std::make_unique<Worker>();
        w->epoll = epoll_create1(EPOLL_CLOEXEC);
        m_workers.push_back(std::move(w));
    }
    for (auto &w : m_workers) {
        w->thread = std::thread([this, p = w.get()] { loop(*p); });
        // Read from outside: a clock_gettime per turn of the loop was a system call per
        // delivery in the latency phase.
        pthread_getcpuclockid(w->thread.native_handle(), &w->cpuClock);
    }
}

Generator::~Generator()
{
    m_stop.store(true);
    for (auto &w : m_workers) {
        w->thread.join();
        ::close(w->epoll);
    }
}

bool Generator::open(Conn &c, const sockaddr_in &to)
{
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
        c.closed = true;
        return false;
    }
    const int one = 1;
    ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(c.fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0
        && errno != EINPROGRESS) {
        ::close(c.fd);
        c.fd = -1;
        c.closed = true;
        return false;
    }
    if (m_tls) {
        c.ssl = SSL_new(m_tls);
        SSL_set_fd(c.ssl, c.fd);
        SSL_set_connect_state(c.ssl);
    }
    // From here on the worker owns the connection: the epoll_ctl below publishes it.
    c.wantWrite = true;
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = &c;
    Worker &w = *m_workers[size_t(c.index) % m_workers.size()];
    ::epoll_ctl(w.epoll, EPOLL_CTL_ADD, c.fd, &ev);
    return true;
}

void Generator::startPhase(const std::vector<std::unique_ptr<Conn>> &all, SendMode mode, int window,
                           double totalRate, int senders, int watcherIndex)
{
    m_counting.store(false);
    for (auto &w : m_workers) {
        std::lock_guard lock(w->lock);
        w->latencies.clear();
        w->senders.clear();
    }
    senders = std::min(senders, m_maxSenders);
    for (int i = 0; i < m_maxSenders; ++i)
        m_acked[size_t(i)].store(0);
    delivered.store(0);
    sent.store(0);
    m_window.store(window);
    const int64_t interval = totalRate > 0 ? int64_t(1e9 * senders / totalRate) : 0;
    m_intervalNs.store(interval);
    m_watcher.store(watcherIndex);
    const int64_t start = nowNs();
    for (const auto &c : all) {
        if (c->sender < 0 || c->sender >= senders || !c->joined)
            continue;
        Worker &w = *m_workers[size_t(c->index) % m_workers.size()];
        std::lock_guard lock(w.lock);
        c->sent = 0;
        // Senders take turns: the room sees one message every 1/totalRate seconds.
        c->nextDueNs = start + (totalRate > 0 ? int64_t(1e9 * c->sender / totalRate) : 0);
        w.senders.push_back(c.get());
    }
    m_counting.store(true);
    m_mode.store(mode);
}

std::vector<int64_t> Generator::takeLatencies()
{
    std::vector<int64_t> out;
    for (auto &w : m_workers) {
        std::lock_guard lock(w->lock);
        out.insert(out.end(), w->latencies.begin(), w->latencies.end());
        w->latencies.clear();
    }
    return out;
}

std::vector<double> Generator::workerCpuSeconds() const
{
    std::vector<double> out;
    for (const auto &w : m_workers) {
        timespec cpu {};
        clock_gettime(w->cpuClock, &cpu);
        out.push_back(double(cpu.tv_sec) + double(cpu.tv_nsec) / 1e9);
    }
    return out;
}

void Generator::onJoined(Conn &c)
{
    if (c.joined)
        return;
    c.joined = true;
    joined.fetch_add(1);
    notifySettled();
}

void Generator::notifySettled()
{
    // Under the lock, so that a waiter between its check and its wait cannot miss it.
    std::lock_guard lock(m_settleLock);
    m_settled.notify_all();
}

int64_t Generator::waitForSettled(int64_t seen, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_settleLock);
    m_settled.wait_for(lock, timeout, [&] { return joined.load() + closed.load() != seen; });
    return joined.load() + closed.load();
}

void Generator::onMessage(Conn &c, int sender, int64_t stampNs)
{
    // Only copies to other members count: IRC does not echo a sender's own message.
    if (sender < 0 || sender == c.sender || !m_counting.load(std::memory_order_relaxed))
        return;
    const int64_t latency = nowNs() - stampNs;
    {
        Worker &w = *m_workers[size_t(c.index) % m_workers.size()];
        std::lock_guard lock(w.lock);
        w.latencies.push_back(latency);
    }
    delivered.fetch_add(1, std::memory_order_relaxed);
    if (c.index == m_watcher.load(std::memory_order_relaxed) && sender < m_maxSenders)
        m_acked[size_t(sender)].fetch_add(1, std::memory_order_relaxed);
}

void Generator::reply(Conn &c, std::string_view bytes)
{
    if (c.closed)
        return;
    c.out.append(bytes);
    if (!c.wantWrite)
        flush(c);
}

void Generator::stopSending()
{
    m_mode.store(SendMode::Idle);
    // A pump that saw the old mode finishes under its worker's lock; every later one reads the
    // mode again under the lock and sees Idle. Without this a worker could still queue messages
    // after the phase read `sent`, and more arrived than were counted as sent.
    for (auto &w : m_workers)
        std::lock_guard lock(w->lock);
}

void Generator::pump(Worker &w)
{
    if (m_mode.load() == SendMode::Idle)
        return;
    std::lock_guard lock(w.lock);
    const SendMode mode = m_mode.load();
    if (mode == SendMode::Idle)
        return;
    const int window = m_window.load();
    const int64_t interval = m_intervalNs.load();
    for (Conn *c : w.senders) {
        if (c->closed)
            continue;
        bool queued = false;
        // Bounded per turn so one sender cannot starve the reads.
        for (int guard = 0; guard < 64; ++guard) {
            const int64_t now = nowNs();
            const bool due = mode == SendMode::Window
                    ? c->sent - m_acked[size_t(c->sender)].load(std::memory_order_relaxed) < window
                    : now >= c->nextDueNs;
            if (!due)
                break;
            c->out.append(m_driver.message(*c, now));
            ++c->sent;
            sent.fetch_add(1, std::memory_order_relaxed);
            c->nextDueNs += interval;
            queued = true;
        }
        if (queued && !c->wantWrite)
            flush(*c);
    }
}

void Generator::loop(Worker &w)
{
    epoll_event events[512];
    while (!m_stop.load()) {
        pump(w);
        const int timeout = m_mode.load() == SendMode::Idle ? 10 : 1;
        const int n = ::epoll_wait(w.epoll, events, 512, timeout);
        for (int i = 0; i < n; ++i)
            handle(*static_cast<Conn *>(events[i].data.ptr), events[i].events);
    }
}

void Generator::handle(Conn &c, uint32_t events)
{
    if (c.closed)
        return;
    if (!c.established) {
        establish(c);
        if (!c.established)
            return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        readFrom(c);
    if (!c.closed && (events & EPOLLOUT))
        flush(c);
}

// TCP connected (writable), then with TLS the handshake; then the greeting goes out.
void Generator::establish(Conn &c)
{
    if (c.ssl) {
        const int rc = SSL_do_handshake(c.ssl);
        if (rc != 1) {
            const int err = SSL_get_error(c.ssl, rc);
            if (err == SSL_ERROR_WANT_READ) {
                arm(c, false);
                return;
            }
            if (err == SSL_ERROR_WANT_WRITE) {
                arm(c, true);
                return;
            }
            ERR_clear_error();
            closeConn(c);
            return;
        }
    } else {
        int error = 0;
        socklen_t len = sizeof error;
        if (::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
            closeConn(c);
            return;
        }
    }
    c.established = true;
    c.out.insert(0, m_driver.greeting(c));
    flush(c);
}

void Generator::readFrom(Conn &c)
{
    char buffer[65536];
    for (int guard = 0; guard < 64; ++guard) {
        const int n = c.ssl ? SSL_read(c.ssl, buffer, sizeof buffer)
                            : int(::recv(c.fd, buffer, sizeof buffer, 0));
        if (n > 0) {
            m_driver.consume(c, *this, std::string_view(buffer, size_t(n)));
            if (c.closed)
                return;
            // The epoll is level-triggered: when neither OpenSSL nor a short read says more is
            // here, the next read would only return EAGAIN, one wasted syscall per delivery.
            const bool more = c.ssl ? SSL_has_pending(c.ssl) == 1 : size_t(n) == sizeof buffer;
            if (!more)
                return;
            continue;
        }
        if (c.ssl) {
            const int err = SSL_get_error(c.ssl, n);
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
                return;
            ERR_clear_error();
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        closeConn(c); // closed by the server, or an error
        return;
    }
}

void Generator::flush(Conn &c)
{
    if (!c.established) {
        arm(c, true);
        return;
    }
    size_t offset = 0;
    while (offset < c.out.size()) {
        const size_t left = c.out.size() - offset;
        if (c.ssl) {
            const int n
                    = SSL_write(c.ssl, c.out.data() + offset, int(std::min<size_t>(left, 1 << 20)));
            if (n > 0) {
                offset += size_t(n);
                continue;
            }
            const int err = SSL_get_error(c.ssl, n);
            if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
                c.out.erase(0, offset);
                arm(c, true);
                return;
            }
            ERR_clear_error();
            closeConn(c);
            return;
        }
        const ssize_t n = ::send(c.fd, c.out.data() + offset, left, MSG_NOSIGNAL);
        if (n > 0) {
            offset += size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            c.out.erase(0, offset);
            arm(c, true);
            return;
        }
        closeConn(c);
        return;
    }
    c.out.clear();
    arm(c, false);
}

void Generator::arm(Conn &c, bool write)
{
    if (c.wantWrite == write || c.fd < 0)
        return;
    c.wantWrite = write;
    epoll_event ev {};
    ev.events = EPOLLIN | (write ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    Worker &w = *m_workers[size_t(c.index) % m_workers.size()];
    ::epoll_ctl(w.epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

void Generator::closeConn(Conn &c)
{
    if (c.closed)
        return;
    c.closed = true;
    closed.fetch_add(1);
    notifySettled();
    if (c.fd >= 0) {
        Worker &w = *m_workers[size_t(c.index) % m_workers.size()];
        ::epoll_ctl(w.epoll, EPOLL_CTL_DEL, c.fd, nullptr);
    }
    // The descriptor and SSL object stay until the generator's owner frees the Conn: the main
    // thread may still be looking at it.
}

} // namespace Bench::Gen
