#pragma once

#include <QtGlobal>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace Server {

// Readiness of one descriptor, level-triggered like a QSocketNotifier, but watched through one
// epoll set for the whole server that the event loop sees as a single descriptor. Qt's
// dispatcher polls every notifier's descriptor on every turn of the loop, which at thousands of
// sessions made each turn cost O(sessions) before any work was done. A descriptor with neither
// direction enabled leaves the set (epoll reports a hang-up even to an empty mask). Where epoll
// is missing or cannot be made, each watch falls back to QSocketNotifiers. The server's
// sockets all live in the main thread.
class EpollWatch
{
public:
    EpollWatch(int fd, std::function<void()> onReadable, std::function<void()> onWritable);
    ~EpollWatch();
    EpollWatch(const EpollWatch &) = delete;
    EpollWatch &operator=(const EpollWatch &) = delete;

    void setReadEnabled(bool on);
    void setWriteEnabled(bool on);
    [[nodiscard]] bool isReadEnabled() const { return m_read; }
    [[nodiscard]] bool isWriteEnabled() const { return m_write; }
    // Before the descriptor is closed: no notification follows, whatever is enabled later.
    void detach();

private:
    friend struct EpollDispatch;
    void update();
    void updateFallback();

    int m_fd;
    quint64 m_id = 0; // key in the set; 0 = not in it
    bool m_read = true;
    bool m_write = false;
    bool m_inSet = false;
    bool m_detached = false;
    bool m_fallback = false; // watched by the QSocketNotifiers below, not the epoll set
    std::function<void()> m_onReadable;
    std::function<void()> m_onWritable;
    std::unique_ptr<QSocketNotifier> m_readFallback;
    std::unique_ptr<QSocketNotifier> m_writeFallback;
};

} // namespace Server
