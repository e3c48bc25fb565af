#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>

namespace Client {

// When to try a lost server again: waits that double from `first` up to `longest` (1, 2, 4, 8,
// 16, 30, 30 ... s by default) and never end, with a countdown in whole seconds for the person
// watching. reset() after a connection succeeds starts the next loss at `first` again.
class ReconnectBackoff : public QObject
{
    Q_OBJECT
public:
    explicit ReconnectBackoff(QObject *parent = nullptr);

    void setDelays(std::chrono::milliseconds first, std::chrono::milliseconds longest);
    // Starts the next wait (an earlier one still running is replaced).
    void schedule();
    // Stops a running wait without `due`.
    void cancel();
    // Stops a running wait and starts the schedule over.
    void reset();

    [[nodiscard]] bool isWaiting() const { return m_due.isActive(); }
    // Whole seconds until `due`, rounded up; 0 when not waiting.
    [[nodiscard]] int secondsLeft() const;
    [[nodiscard]] int attempts() const { return m_attempts; }
    // The length of the wait running now (or of the last one).
    [[nodiscard]] std::chrono::milliseconds currentDelay() const
    {
        return m_due.intervalAsDuration();
    }

Q_SIGNALS:
    // Once a second while waiting, and once when the wait starts.
    void countdown(int secondsLeft);
    void due();

private:
    std::chrono::milliseconds m_first {1000};
    std::chrono::milliseconds m_longest {30000};
    std::chrono::milliseconds m_next {1000};
    QTimer m_due;
    QTimer m_tick;
    int m_attempts = 0;
};

} // namespace Client
