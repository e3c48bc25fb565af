#pragma once
// The engine's single-shot wake-up with microsecond resolution. QTimer takes whole
// milliseconds even as a PreciseTimer, so a pacing deadline 0.3 ms away either waits a full
// millisecond (capping the send rate at one pacing quantum per millisecond) or, rounded down
// to 0, spins the event loop until it is due. On Linux a timerfd watched by a QSocketNotifier
// sleeps exactly as long as asked; elsewhere a QTimer rounded up to the millisecond is used.
#include <transfer/io/transferclock.h>

#include <QObject>

class QSocketNotifier;
class QTimer;

namespace Transfer {

class WakeupTimer final : public QObject
{
    Q_OBJECT
public:
    explicit WakeupTimer(QObject *parent = nullptr);
    ~WakeupTimer() override;

    // Fires timeout() once after `wait` (0 or less: as soon as the event loop runs);
    // replaces any earlier start().
    void start(Duration wait);
    void stop();

Q_SIGNALS:
    void timeout();

private:
    void onTimerFd();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_fallback = nullptr;
};

} // namespace Transfer
