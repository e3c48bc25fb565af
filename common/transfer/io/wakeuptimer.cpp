#include <transfer/io/wakeuptimer.h>

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace Transfer {

namespace {
constexpr auto kMaxWait = std::chrono::seconds(60);
} // namespace

WakeupTimer::WakeupTimer(QObject *parent)
    : QObject(parent)
{
#ifdef Q_OS_LINUX
    m_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_fd >= 0) {
        m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &WakeupTimer::onTimerFd);
        return;
    }
#endif
    m_fallback = new QTimer(this);
    m_fallback->setSingleShot(true);
    m_fallback->setTimerType(Qt::PreciseTimer);
    connect(m_fallback, &QTimer::timeout, this, &WakeupTimer::timeout);
}

WakeupTimer::~WakeupTimer()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        delete m_notifier;
        ::close(m_fd);
    }
#endif
}

void WakeupTimer::start(Duration wait)
{
    wait = std::clamp<Duration>(wait, Duration::zero(), kMaxWait);
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
        itimerspec spec {};
        // A zero it_value disarms a timerfd; 1 ns means "now".
        const long long due = std::max<long long>(ns, 1);
        spec.it_value.tv_sec = time_t(due / 1'000'000'000);
        spec.it_value.tv_nsec = long(due % 1'000'000'000);
        ::timerfd_settime(m_fd, 0, &spec, nullptr);
        return;
    }
#endif
    m_fallback->start(int(std::chrono::ceil<std::chrono::milliseconds>(wait).count()));
}

void WakeupTimer::stop()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        const itimerspec disarm {};
        // Re-arming or disarming clears a pending expiry: onTimerFd() then reads nothing.
        ::timerfd_settime(m_fd, 0, &disarm, nullptr);
        return;
    }
#endif
    m_fallback->stop();
}

void WakeupTimer::onTimerFd()
{
#ifdef Q_OS_LINUX
    std::uint64_t expirations = 0;
    const bool expired = ::read(m_fd, &expirations, sizeof(expirations)) == sizeof(expirations);
    if (expired)
        Q_EMIT timeout();
#endif
}

} // namespace Transfer
