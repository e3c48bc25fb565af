#include <server-console/federation/router.h>

#include <QQueue>

namespace Server {

void Router::rebuild(const QString &self, const QHash<QString, QStringList> &adjacency)
{
    m_self = self;
    m_nextHop.clear();
    m_distance.clear();
    m_order.clear();
    auto linked = [&adjacency](const QString &a, const QString &b) {
        return adjacency.value(a).contains(b) && adjacency.value(b).contains(a);
    };
    // Breadth-first from this server; neighbours in name order so that every server breaks
    // ties the same way and paths do not flap between equal choices.
    QQueue<QString> queue;
    m_distance.insert(self, 0);
    m_order.append(self);
    queue.enqueue(self);
    while (!queue.isEmpty()) {
        const QString at = queue.dequeue();
        QStringList neighbours = adjacency.value(at);
        neighbours.sort();
        for (const QString &n : std::as_const(neighbours)) {
            if (m_distance.contains(n) || !linked(at, n))
                continue;
            m_distance.insert(n, m_distance.value(at) + 1);
            m_nextHop.insert(n, at == self ? n : m_nextHop.value(at));
            m_order.append(n);
            queue.enqueue(n);
        }
    }
}

QString Router::nextHop(const QString &destination) const
{
    return m_nextHop.value(destination);
}

int Router::distance(const QString &destination) const
{
    return m_distance.value(destination, -1);
}

QHash<QString, QStringList> Router::splitByNextHop(const QStringList &destinations) const
{
    QHash<QString, QStringList> out;
    for (const QString &d : destinations) {
        const QString hop = m_nextHop.value(d);
        if (!hop.isEmpty() && !out.value(hop).contains(d))
            out[hop].append(d);
    }
    return out;
}

} // namespace Server
