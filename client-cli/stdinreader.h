#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace Cli {

// Reads standard input line by line without blocking the event loop.
class StdinReader : public QObject
{
    Q_OBJECT
public:
    explicit StdinReader(QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void lineRead(const QString &line);
    void endOfInput();

private:
    void readAvailable();

    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_pending;
};

} // namespace Cli
