#include <server-console/stream/epollwatch.h>

#include <server-console/serverlogging.h>

#include <QCoreApplication>
#include <QHash>
#include <QSocketNotifier>
#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/epoll.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstring>

namespace Server {

#ifdef Q_OS_LINUX
// The one epoll set: made with the first watch, gone with the last (not while it dispatches).
struct EpollDispatch
{
    int fd = -1;
    std::unique_ptr<QSocketNotifier> notifier;
    QHash<quint64, EpollWatch *> watches;
    quint64 nextId = 1;
    int depth = 0; // > 0 while dispatching: the set stays even if its last watch goes

    static EpollDispatch *instance(bool create);
    static void releaseIfIdle();
    static void dispatch();
};

namespace {
EpollDispatch *s_dispatch = nullptr;
bool s_unavailable = false; // epoll_create1 failed once: every later watch falls back
} // namespace

EpollDispatch *EpollDispatch::instance(bool create)
{
    if (s_dispatch || !create || s_unavailable)
        return s_dispatch;
    Q_ASSERT(QCoreApplication::instance()
             && QThread::currentThread() == QCoreApplication::instance()->thread());
    const int fd = ::epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) {
        qCWarning(lcServer).noquote()
                << "epoll unavailable, watching each socket on its own:" << std::strerror(errno);
        s_unavailable = true;
        return nullptr;
    }
    s_dispatch = new EpollDispatch;
    s_dispatch->fd = fd;
    s_dispatch->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    QObject::connect(s_dispatch->notifier.get(), &QSocketNotifier::activated,
                     &EpollDispatch::dispatch);
    return s_dispatch;
}

void EpollDispatch::releaseIfIdle()
{
    if (!s_dispatch || !s_dispatch->watches.isEmpty() || s_dispatch->depth > 0)
        return;
    s_dispatch->notifier.reset();
    ::close(s_dispatch->fd);
    delete s_dispatch;
    s_dispatch = nullptr;
}

void EpollDispatch::dispatch()
{
    EpollDispatch *d = s_dispatch;
    if (!d)
        return;
    // Level-triggered: what is left over after this batch wakes the loop again next turn.
    epoll_event events[256];
    const int n = ::epoll_wait(d->fd, events, int(std::size(events)), 0);
    ++d->depth;
    for (int i = 0; i < n; ++i) {
        const quint64 id = events[i].data.u64;
        const uint32_t ev = events[i].events;
        // A handler may end any watch, its own too: look each one up again after a call.
        EpollWatch *w = d->watches.value(id);
        if (w && w->m_read && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))) {
            w->m_onReadable();
            w = d->watches.value(id);
        }
        if (w && w->m_write && (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
            w->m_onWritable();
    }
    --d->depth;
    releaseIfIdle();
}
#else
struct EpollDispatch
{
};
#endif

EpollWatch::EpollWatch(int fd, std::function<void()> onReadable, std::function<void()> onWritable)
    : m_fd(fd)
    , m_onReadable(std::move(onReadable))
    , m_onWritable(std::move(onWritable))
{
    update();
}

EpollWatch::~EpollWatch()
{
    detach();
}

void EpollWatch::setReadEnabled(bool on)
{
    if (m_read == on)
        return;
    m_read = on;
    update();
}

void EpollWatch::setWriteEnabled(bool on)
{
    if (m_write == on)
        return;
    m_write = on;
    update();
}

void EpollWatch::detach()
{
    if (m_detached)
        return;
    m_read = m_write = false;
    update();
    m_detached = true;
    // Not deleted here: this may run inside one of their own notifications.
    if (m_readFallback)
        m_readFallback->setEnabled(false);
    if (m_writeFallback)
        m_writeFallback->setEnabled(false);
}

void EpollWatch::update()
{
    if (m_detached)
        return;
#ifdef Q_OS_LINUX
    if (m_fallback) { // once on its own notifiers, always: two paths would both report
        updateFallback();
        return;
    }
    const bool wanted = m_read || m_write;
    EpollDispatch *d = EpollDispatch::instance(wanted);
    if (!d) {
        m_fallback = wanted;
        updateFallback();
        return;
    }
    epoll_event ev {};
    ev.events = (m_read ? EPOLLIN | EPOLLRDHUP : 0u) | (m_write ? EPOLLOUT : 0u);
    if (!wanted) {
        if (m_inSet) {
            ::epoll_ctl(d->fd, EPOLL_CTL_DEL, m_fd, &ev);
            d->watches.remove(m_id);
            m_inSet = false;
            EpollDispatch::releaseIfIdle();
        }
        return;
    }
    if (!m_inSet) {
        m_id = d->nextId++;
        ev.data.u64 = m_id;
        if (::epoll_ctl(d->fd, EPOLL_CTL_ADD, m_fd, &ev) != 0) {
            qCWarning(lcServer).noquote()
                    << "cannot watch socket" << m_fd << "with epoll:" << std::strerror(errno);
            EpollDispatch::releaseIfIdle();
            m_fallback = true;
            updateFallback();
            return;
        }
        d->watches.insert(m_id, this);
        m_inSet = true;
        return;
    }
    ev.data.u64 = m_id;
    ::epoll_ctl(d->fd, EPOLL_CTL_MOD, m_fd, &ev);
#else
    updateFallback();
#endif
}

void EpollWatch::updateFallback()
{
    if (m_read && !m_readFallback) {
        m_readFallback = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        QObject::connect(m_readFallback.get(), &QSocketNotifier::activated,
                         [this] { m_onReadable(); });
    }
    if (m_write && !m_writeFallback) {
        m_writeFallback = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
        QObject::connect(m_writeFallback.get(), &QSocketNotifier::activated,
                         [this] { m_onWritable(); });
    }
    if (m_readFallback)
        m_readFallback->setEnabled(m_read);
    if (m_writeFallback)
        m_writeFallback->setEnabled(m_write);
}

} // namespace Server
