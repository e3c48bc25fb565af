#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Server {

// glibc keeps the pages of freed buffers (a burst of joins' member lists and presence, TLS
// handshakes) in the heap: 37 KiB per client after 300 TLS clients joined, half of the server's
// growth (scripts/idle-tls-rss.py), and after a burst of 1,000 joins the server held twice the
// memory it needed until the next trim. The heap's bytes in use and free are looked at ten
// times a second (mallinfo2: a walk of the free lists, not of the heap). The heap is trimmed,
// at most four times a second, once free bytes are kBurstFreeBytes above their lowest since
// the last trim (that much was in use, so resident, and is free again: a long burst) or once a
// heap that changed since the last trim has gone quiet (a burst's end); a quiet heap is
// trimmed every five seconds. A trim took 0.2-1.4 ms (median) with 1,000-5,000 clients.
// Does nothing where the C library is not glibc.
class HeapTrimmer : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kBurstFreeBytes = qint64(1) << 20;

    // The heap's bytes in use and free (mallinfo2), as the trimmer compares them.
    struct Usage
    {
        qint64 inUse = 0;
        qint64 free = 0;
    };

    explicit HeapTrimmer(QObject *parent = nullptr);
    [[nodiscard]] int trims() const { return m_trims; }

private:
    void check();

    QTimer m_timer;
    QElapsedTimer m_sinceTrim;
    Usage m_atTrim; // right after the last trim
    Usage m_lastCheck;
    qint64 m_lowestFree = 0; // the heap's free bytes at their lowest since the last trim
    int m_trims = 0;
};

} // namespace Server
