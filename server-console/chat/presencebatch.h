#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace Server {

class ClientSession;
class RoomRegistry;

// Presence (member-joined / member-left) and join replies, batched per room per event-loop turn.
// A burst of N joins would otherwise cost N writes to every member (O(N²) writes) and N
// encodings of a growing member list. Here each room's presence frames of one turn are
// concatenated and written once to every member who was already in; the members who joined in
// that turn get one `joined` reply listing everyone, encoded once for all of them and sent
// instead of the frames (the list already says what the frames would). The frames are the same
// ones a client always read, so the protocol does not change.
class PresenceBatcher : public QObject
{
    Q_OBJECT
public:
    explicit PresenceBatcher(const RoomRegistry &rooms, QObject *parent = nullptr);

    // An encoded member-joined / member-left frame for the room's current members.
    void announce(const QString &room, const QByteArray &frame);
    // The session has been added to the room; its `joined` reply goes out with the batch.
    void addJoiner(const QString &room, ClientSession *session);
    [[nodiscard]] bool isJoining(const QString &room, ClientSession *session) const;
    // Sends the batches of the rooms the session is joining: before any other reply to it, so
    // that replies keep the order of the requests (a `ping` after a `join` is a barrier).
    void flushFor(ClientSession *session);
    // Sends what is pending for the room now: before anything else reaches its members, so
    // that nobody hears of a message before the presence that precedes it.
    void flush(const QString &room);
    void flushAll();

private:
    struct Pending
    {
        QByteArray frames;
        QList<ClientSession *> joiners;
    };
    void schedule();

    const RoomRegistry &m_rooms;
    QHash<QString, Pending> m_pending;
    QHash<ClientSession *, QStringList> m_joining; // rooms whose `joined` reply is pending
    bool m_scheduled = false;
};

} // namespace Server
