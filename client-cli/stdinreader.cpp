#include <client-cli/stdinreader.h>

#include <QSocketNotifier>

#include <unistd.h>

namespace Cli {

namespace {
constexpr qsizetype kMaxLine = 64 * 1024; // a longer line is cut: commands are short
}

StdinReader::StdinReader(QObject *parent)
    : QObject(parent)
{ }

void StdinReader::start()
{
    m_notifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::readAvailable()
{
    char buffer[16384];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n <= 0) {
        m_notifier->setEnabled(false);
        if (!m_pending.isEmpty())
            Q_EMIT lineRead(QString::fromUtf8(std::exchange(m_pending, {})));
        Q_EMIT endOfInput();
        return;
    }
    m_pending.append(buffer, n);
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        Q_EMIT lineRead(QString::fromUtf8(m_pending.left(newline)));
        m_pending.remove(0, newline + 1);
    }
    if (m_pending.size() > kMaxLine)
        m_pending.truncate(kMaxLine);
}

} // namespace Cli
