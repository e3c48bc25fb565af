#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Server {

// glibc keeps the pages of freed buffers (a burst of joins' member lists and presence, TLS
// handshakes) in the heap: 37 KiB per client after 300 TLS clients joined, half of the server's
// growth (scripts/idle-tls-rss.py), and after a burst of 1,000 joins the server held twice the
// memory it needed until the next trim. The heap's free bytes are looked at four times a second
// (mallinfo2: a walk of the free lists, not of the heap); while kBurstFreeBytes or more are
// free the heap is trimmed at most twice a second, otherwise every five seconds. (Free bytes
// cannot tell which free pages are resident: a trimmed page stays a free chunk until a later
// burst touches it again.) A trim took 0.2-1.4 ms (median) with 1,000-5,000 clients.
// Does nothing where the C library is not glibc.
class HeapTrimmer : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kBurstFreeBytes = qint64(4) << 20;

    explicit HeapTrimmer(QObject *parent = nullptr);

private:
    void check();

    QTimer m_timer;
    QElapsedTimer m_sinceTrim;
};

} // namespace Server
