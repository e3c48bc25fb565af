#pragma once

#include <QAbstractListModel>
#include <QList>

namespace Client {

// The rooms I am in, in joining order, with how many messages arrived in each since I last
// looked at it and how many of those mention me. The room being viewed never counts as unread.
// Joins and leaves are not messages: they only raise the room's activity, HexChat's three
// levels (something happened, a message, a mention) that a tab shows as its colour.
class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        UnreadRole, // int
        MentionsRole, // int
        CurrentRole, // bool
        ActivityRole, // Activity
    };
    enum class Activity { None, Event, Message, Mention };
    Q_ENUM(Activity)

    explicit RoomListModel(QObject *parent = nullptr);

    void addRoom(const QString &room);
    bool removeRoom(const QString &room);
    void clear();
    // The room on screen; its unread counters reset and stay at zero while it is current.
    void setCurrentRoom(const QString &room);
    [[nodiscard]] QString currentRoom() const { return m_current; }
    // One more line arrived in `room`; ignored for the current room and unknown rooms.
    void countLine(const QString &room, bool mention);
    // Something that is not a message happened in `room` (a join, a leave).
    void noteEvent(const QString &room);
    void markRead(const QString &room);

    [[nodiscard]] int indexOf(const QString &room) const;
    [[nodiscard]] QStringList rooms() const;
    [[nodiscard]] int unread(const QString &room) const;
    [[nodiscard]] int mentionCount(const QString &room) const;
    [[nodiscard]] Activity activity(const QString &room) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void unreadChanged(const QString &room, int unread, int mentions);

private:
    struct Row
    {
        QString name;
        int unread = 0;
        int mentions = 0;
        Activity activity = Activity::None;
    };
    void changed(int row);

    QList<Row> m_rows;
    QString m_current;
};

} // namespace Client
