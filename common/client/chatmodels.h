#pragma once

#include <client/memberlistmodel.h>
#include <client/messagelistmodel.h>
#include <client/querylist.h>
#include <client/roomlistmodel.h>

#include <QHash>
#include <QObject>

namespace Client {

class ClientCore;

// Adapts ClientCore's chat signals to item models: the room list with unread counts, and per
// room its lines and members. Front ends show these models and call ClientCore for actions;
// nothing here sends anything.
class ChatModels : public QObject
{
    Q_OBJECT
public:
    explicit ChatModels(ClientCore *core, QObject *parent = nullptr);

    [[nodiscard]] RoomListModel *rooms() { return &m_rooms; }
    // nullptr for a room I have never been in.
    [[nodiscard]] MessageListModel *messages(const QString &room) const;
    [[nodiscard]] MemberListModel *members(const QString &room) const;
    // The private conversations, one per room and peer (one-to-one private lines go there).
    [[nodiscard]] QueryList *queries() { return &m_queries; }

    // Lines kept per room before the oldest are dropped.
    void setMaximumLines(int lines)
    {
        m_maxLines = lines;
        m_queries.setMaximumLines(lines);
    }

public Q_SLOTS:
    // A local notice for a room ("unknown command", a share that started, ...).
    void addNotice(const QString &room, const QString &text, bool error = false);
    // Someone shared a file in a room (ClientCore::shareAnnounced).
    // The connection moved to `server` (ServerFailover::reconnected): a line in each room
    // being rejoined, so the gap in its history is explained.
    void addReconnected(const QString &server, const QStringList &rooms);
    void addShareAnnouncement(const QString &room, const QString &fileName, qint64 size,
                              const QString &sha256, const QString &fromNick);

Q_SIGNALS:
    void roomAdded(const QString &room);
    void roomRemoved(const QString &room);
    // A line in `room` mentions me or was addressed to me alone.
    void mentioned(const QString &room, const QString &fromNick, const QString &text);

private:
    struct Room
    {
        MessageListModel *messages = nullptr;
        MemberListModel *members = nullptr;
    };
    Room &ensureRoom(const QString &room);
    void onConnected(const QString &server, const QString &clientId);
    void onJoined(const QString &room, const QList<Protocol::MemberInfo> &members);
    void onLeft(const QString &room);
    void onMemberJoined(const QString &room, const Protocol::MemberInfo &member);
    void onMemberLeft(const QString &room, const Protocol::MemberInfo &member,
                      const QString &reason);
    void onMessage(const Protocol::ChatMessage &message);
    void onDisconnected(const QString &reason);
    void onMemberKeyChanged(const QString &room, const Protocol::MemberInfo &member,
                            const QString &oldFingerprint, const QString &newFingerprint);
    void onMemberKeyTrusted(const QString &nick, const QString &fingerprint);
    // Marks the members of `members` whose key is not the one trusted for their nick.
    void markUntrustedKeys(MemberListModel *members, const QList<Protocol::MemberInfo> &list);

    ClientCore *m_core;
    RoomListModel m_rooms;
    QueryList m_queries;
    QHash<QString, Room> m_byRoom;
    int m_maxLines = 200000;
};

} // namespace Client
