#pragma once

#include <protocol/messages.h>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace Server {

class ClientSession;
class RoomRegistry;

// Presence (member-joined / member-left) and join replies, batched per room. A burst of N joins
// would otherwise cost N writes to every member (O(N²) writes) and N encodings of a growing
// member list. The members who joined in one event-loop turn get one `joined` reply listing
// everyone, encoded once for all of them, at the end of that turn. The presence frames for the
// members who were already in are concatenated and written once to each: at the end of the turn
// in a small room, and at most `window` later in a room of `coalesceFrom` local members or
// more, so that a join burst into a large room costs each member one write per window instead
// of one per turn. Consecutive joins go out as one `members-joined` list: a frame header per
// member was a third of the bytes of a burst, and a burst into a room of N is N² member entries.
// Each member gets only the presence after what its `joined` list already said. Nothing
// overtakes presence: a room's pending presence goes out before any message of that room, and a
// member catches up on all its rooms before any reply to a request of its own.
class PresenceBatcher : public QObject
{
    Q_OBJECT
public:
    // Rooms of coalesceFrom local members or more have their presence held for up to windowMs.
    PresenceBatcher(const RoomRegistry &rooms, int coalesceFrom, int windowMs,
                    QObject *parent = nullptr);

    // A member-joined or member-left for the room's current members.
    void announce(const QString &room, const Protocol::MemberJoined &joined);
    void announce(const QString &room, const Protocol::MemberLeft &left);
    // The session has been added to the room; its `joined` reply goes out with the batch.
    void addJoiner(const QString &room, ClientSession *session);
    [[nodiscard]] bool isJoining(const QString &room, ClientSession *session) const;
    // Before any reply to the session: the `joined` replies of the rooms it is joining, and
    // the presence its other rooms hold for it, so that replies keep the order of the requests
    // (a `ping` after a `join`, or after someone else's, is a barrier).
    void flushFor(ClientSession *session);
    // Sends what is pending for the room now: before anything else reaches its members, so
    // that nobody hears of a message before the presence that precedes it.
    void flush(const QString &room);

private:
    struct Event
    {
        QByteArray bytes; // a join: its member entry; a leave: its whole frame
        bool isJoin = false;
    };
    struct Pending
    {
        QList<Event> events; // announced, not yet delivered to every member, in order
        QHash<ClientSession *, qsizetype> known; // members that already have events[0, n)
        QList<ClientSession *> joiners; // their `joined` reply goes at the end of this turn
    };
    // The frames of events[from, end): each run of joins as one `members-joined`.
    [[nodiscard]] static QByteArray encode(const QString &room, const Pending &pending,
                                           qsizetype from);
    void add(const QString &room, Event event);
    void scheduleTurn();
    void endTurn();
    void sendJoined(const QString &room, Pending &pending);
    void deliverPresence(const QString &room);
    void deliverHeldPresence();
    [[nodiscard]] bool coalesces(const QString &room) const;

    const RoomRegistry &m_rooms;
    QHash<QString, Pending> m_pending;
    QHash<ClientSession *, QStringList> m_joining; // rooms whose `joined` reply is pending
    bool m_turnScheduled = false;
    QTimer m_window; // single shot: delivers the presence held for large rooms
    const int m_coalesceFrom;
};

} // namespace Server
