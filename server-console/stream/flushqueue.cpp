#include <server-console/stream/flushqueue.h>

#include <server-console/stream/sessionsocket.h>

#include <QCoreApplication>

#include <vector>

namespace Server {

namespace {
std::vector<SessionSocket *> s_sockets;
bool s_posted = false;
} // namespace

void FlushQueue::add(SessionSocket *socket)
{
    Q_ASSERT(QCoreApplication::instance()
             && socket->thread() == QCoreApplication::instance()->thread());
    s_sockets.push_back(socket);
    if (!s_posted) {
        s_posted = true;
        QMetaObject::invokeMethod(QCoreApplication::instance(), &FlushQueue::run,
                                  Qt::QueuedConnection);
    }
}

void FlushQueue::remove(SessionSocket *socket)
{
    std::erase(s_sockets, socket);
}

void FlushQueue::run()
{
    s_posted = false;
    // flush() neither emits nor deletes, so every socket in the batch stays valid.
    std::vector<SessionSocket *> batch;
    batch.swap(s_sockets);
    for (SessionSocket *socket : batch) {
        socket->m_flushQueued = false;
        socket->flush();
    }
    if (s_sockets.empty() && s_sockets.capacity() < batch.capacity()) {
        batch.clear();
        s_sockets.swap(batch); // keep the capacity for the next turn
    }
}

} // namespace Server
