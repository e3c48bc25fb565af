#pragma once

#include <QAbstractListModel>
#include <QList>

namespace Client {

// The rooms I am in, in joining order, with how many lines arrived in each since I last looked
// at it and how many of those mention me. The room being viewed never counts as unread.
class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        UnreadRole, // int
        MentionsRole, // int
        CurrentRole, // bool
    };

    explicit RoomListModel(QObject *parent = nullptr);

    void addRoom(const QString &room);
    bool removeRoom(const QString &room);
    void clear();
    // The room on screen; its unread counters reset and stay at zero while it is current.
    void setCurrentRoom(const QString &room);
    [[nodiscard]] QString currentRoom() const { return m_current; }
    // One more line arrived in `room`; ignored for the current room and unknown rooms.
    void countLine(const QString &room, bool mention);
    void markRead(const QString &room);

    [[nodiscard]] int indexOf(const QString &room) const;
    [[nodiscard]] QStringList rooms() const;
    [[nodiscard]] int unread(const QString &room) const;
    [[nodiscard]] int mentionCount(const QString &room) const;

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
    };
    void changed(int row);

    QList<Row> m_rows;
    QString m_current;
};

} // namespace Client
