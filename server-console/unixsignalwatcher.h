#pragma once

#include <QObject>

class QSocketNotifier;

namespace Server {

// Turns SIGINT and SIGTERM into a Qt signal, through a self-pipe (the only async-signal-safe
// way to wake an event loop).
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Server
