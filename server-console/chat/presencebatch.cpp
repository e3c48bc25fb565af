#include <server-console/chat/presencebatch.h>

#include <server-console/chat/clientsession.h>
#include <server-console/chat/roomregistry.h>

#include <protocol/memberlistcodec.h>
#include <protocol/messagecodec.h>

#include <algorithm>
#include <numeric>
#include <utility>

namespace Server {

PresenceBatcher::PresenceBatcher(const RoomRegistry &rooms, int coalesceFrom, int windowMs,
                                 QObject *parent)
    : QObject(parent)
    , m_rooms(rooms)
    , m_coalesceFrom(std::max(1, coalesceFrom))
{
    m_window.setSingleShot(true);
    m_window.setInterval(std::max(0, windowMs));
    connect(&m_window, &QTimer::timeout, this, &PresenceBatcher::deliverHeldPresence);
}

void PresenceBatcher::announce(const QString &room, const Protocol::MemberJoined &joined)
{
    add(room, {Protocol::encodeMemberEntry(joined.member), true});
}

void PresenceBatcher::announce(const QString &room, const Protocol::MemberLeft &left)
{
    add(room, {Protocol::encodeMessageFrame(left), false});
}

void PresenceBatcher::add(const QString &room, Event event)
{
    m_pending[room].events.append(std::move(event));
    scheduleTurn();
}

QByteArray PresenceBatcher::encode(const QString &room, const Pending &pending, qsizetype from)
{
    const QList<Event> &events = pending.events;
    QByteArray out;
    for (qsizetype i = from; i < events.size();) {
        if (!events.at(i).isJoin) {
            out += events.at(i++).bytes;
            continue;
        }
        qsizetype end = i;
        qsizetype bytes = 0;
        for (; end < events.size() && events.at(end).isJoin; ++end)
            bytes += events.at(end).bytes.size();
        out += Protocol::membersJoinedFrameHead(room, bytes, end - i);
        out.reserve(out.size() + bytes);
        for (; i < end; ++i)
            out += events.at(i).bytes;
    }
    return out;
}

void PresenceBatcher::addJoiner(const QString &room, ClientSession *session)
{
    m_pending[room].joiners.append(session);
    m_joining[session].append(room);
    scheduleTurn();
}

bool PresenceBatcher::isJoining(const QString &room, ClientSession *session) const
{
    const auto it = m_joining.constFind(session);
    return it != m_joining.cend() && it->contains(room);
}

void PresenceBatcher::flushFor(ClientSession *session)
{
    if (const auto it = m_joining.constFind(session); it != m_joining.cend()) {
        const QStringList rooms = *it;
        for (const QString &room : rooms)
            flush(room);
    }
    const QStringList memberOf = session->rooms(); // shared, not copied
    for (const QString &room : memberOf) {
        const auto it = m_pending.find(room);
        if (it == m_pending.end())
            continue;
        const qsizetype known = it->known.value(session, 0);
        if (known < it->events.size()) {
            session->sendFrame(encode(room, *it, known));
            it->known.insert(session, it->events.size());
        }
    }
}

void PresenceBatcher::scheduleTurn()
{
    if (m_turnScheduled)
        return;
    m_turnScheduled = true;
    // Zero timeout: after the socket events of this turn, so a burst read in it is one batch.
    QTimer::singleShot(0, this, &PresenceBatcher::endTurn);
}

bool PresenceBatcher::coalesces(const QString &room) const
{
    return m_rooms.localCount(room) >= m_coalesceFrom; // not the session list: rebuilt per join
}

void PresenceBatcher::flush(const QString &room)
{
    const auto it = m_pending.find(room);
    if (it == m_pending.end())
        return;
    sendJoined(room, *it);
    deliverPresence(room);
}

void PresenceBatcher::sendJoined(const QString &room, Pending &pending)
{
    if (pending.joiners.isEmpty())
        return;
    const QList<ClientSession *> joiners = std::exchange(pending.joiners, {});
    for (ClientSession *s : joiners) {
        const auto joining = m_joining.find(s);
        if (joining != m_joining.end() && joining->removeAll(room) > 0 && joining->isEmpty())
            m_joining.erase(joining);
    }
    // The registry's list itself goes after the head: a copy per turn of joins, into memory
    // fresh from the kernel, was a tenth of a burst into a room of 5000.
    const QList<QByteArray> entries = m_rooms.encodedMembers(room);
    const qsizetype bytes
            = std::accumulate(entries.cbegin(), entries.cend(), qsizetype(0),
                              [](qsizetype n, const QByteArray &b) { return n + b.size(); });
    const QByteArray head = Protocol::joinedFrameHead(room, bytes, m_rooms.memberCount(room));
    for (ClientSession *s : joiners) {
        s->sendFrame(head, entries);
        if (!pending.events.isEmpty())
            pending.known.insert(s, pending.events.size()); // the list says what came before
    }
}

void PresenceBatcher::deliverPresence(const QString &room)
{
    const auto it = m_pending.find(room);
    if (it == m_pending.end())
        return;
    const Pending pending = std::move(*it);
    m_pending.erase(it);
    if (pending.events.isEmpty())
        return;
    // One encoding per offset, shared by the members who joined in the same turn (and by
    // everyone who was in before the window): written to each, copied for none.
    QHash<qsizetype, QByteArray> tails;
    for (ClientSession *s : m_rooms.localSessions(room)) {
        const qsizetype known = pending.known.value(s, 0);
        if (known >= pending.events.size())
            continue;
        auto tail = tails.find(known);
        if (tail == tails.end())
            tail = tails.insert(known, encode(room, pending, known));
        s->sendFrame(*tail);
    }
}

void PresenceBatcher::endTurn()
{
    m_turnScheduled = false;
    const QStringList rooms = m_pending.keys();
    for (const QString &room : rooms) {
        const auto it = m_pending.find(room);
        if (it == m_pending.end())
            continue;
        sendJoined(room, *it);
        if (it->events.isEmpty() || !coalesces(room))
            deliverPresence(room);
        else if (!m_window.isActive())
            m_window.start();
    }
}

void PresenceBatcher::deliverHeldPresence()
{
    const QStringList rooms = m_pending.keys();
    for (const QString &room : rooms)
        flush(room);
}

} // namespace Server
