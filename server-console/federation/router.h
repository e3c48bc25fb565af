#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace Server {

// Shortest paths over the link-state graph. Pure: a graph goes in, next hops come out, so it is
// tested without sockets. An edge counts only when both of its ends advertise it, which keeps a
// half-dead link (one side still believing in it) out of every path.
class Router
{
public:
    // adjacency: every known server -> the neighbours it advertises.
    void rebuild(const QString &self, const QHash<QString, QStringList> &adjacency);

    // The neighbour to send to for `destination`; empty when it is this server or unreachable.
    [[nodiscard]] QString nextHop(const QString &destination) const;
    // Links on the shortest path; 0 for this server, -1 when unreachable.
    [[nodiscard]] int distance(const QString &destination) const;
    [[nodiscard]] bool isReachable(const QString &server) const
    {
        return m_distance.contains(server);
    }
    // Every reachable server, this one included, nearest first (ties by name).
    [[nodiscard]] QStringList reachable() const { return m_order; }
    // Groups destinations by the neighbour they leave through; unreachable ones and this
    // server are left out.
    [[nodiscard]] QHash<QString, QStringList> splitByNextHop(const QStringList &destinations) const;

private:
    QString m_self;
    QHash<QString, QString> m_nextHop;
    QHash<QString, int> m_distance;
    QStringList m_order;
};

} // namespace Server
