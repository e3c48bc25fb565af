#include <client/roomlistmodel.h>

using namespace Qt::StringLiterals;

namespace Client {

RoomListModel::RoomListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void RoomListModel::addRoom(const QString &room)
{
    if (indexOf(room) >= 0)
        return;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({room, 0, 0, Activity::None});
    endInsertRows();
}

bool RoomListModel::removeRoom(const QString &room)
{
    const int row = indexOf(room);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    if (m_current == room)
        m_current.clear();
    return true;
}

void RoomListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_current.clear();
    endResetModel();
}

void RoomListModel::setCurrentRoom(const QString &room)
{
    if (room == m_current)
        return;
    const int old = indexOf(m_current);
    m_current = room;
    if (old >= 0)
        changed(old);
    markRead(room);
    const int row = indexOf(room);
    if (row >= 0)
        changed(row);
}

void RoomListModel::countLine(const QString &room, bool mention)
{
    const int row = indexOf(room);
    if (row < 0 || room == m_current)
        return;
    Row &r = m_rows[row];
    ++r.unread;
    if (mention)
        ++r.mentions;
    r.activity = std::max(r.activity, mention ? Activity::Mention : Activity::Message);
    changed(row);
    Q_EMIT unreadChanged(room, r.unread, r.mentions);
}

void RoomListModel::noteEvent(const QString &room)
{
    const int row = indexOf(room);
    if (row < 0 || room == m_current)
        return;
    Row &r = m_rows[row];
    if (r.activity >= Activity::Event)
        return;
    r.activity = Activity::Event;
    changed(row);
    Q_EMIT unreadChanged(room, r.unread, r.mentions);
}

void RoomListModel::markRead(const QString &room)
{
    const int row = indexOf(room);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    if (r.unread == 0 && r.mentions == 0 && r.activity == Activity::None)
        return;
    r.unread = 0;
    r.mentions = 0;
    r.activity = Activity::None;
    changed(row);
    Q_EMIT unreadChanged(room, 0, 0);
}

void RoomListModel::changed(int row)
{
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i);
}

int RoomListModel::indexOf(const QString &room) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == room)
            return i;
    }
    return -1;
}

QStringList RoomListModel::rooms() const
{
    QStringList out;
    for (const Row &r : m_rows)
        out.append(r.name);
    return out;
}

int RoomListModel::unread(const QString &room) const
{
    const int row = indexOf(room);
    return row < 0 ? 0 : m_rows.at(row).unread;
}

int RoomListModel::mentionCount(const QString &room) const
{
    const int row = indexOf(room);
    return row < 0 ? 0 : m_rows.at(row).mentions;
}

RoomListModel::Activity RoomListModel::activity(const QString &room) const
{
    const int row = indexOf(room);
    return row < 0 ? Activity::None : m_rows.at(row).activity;
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return r.unread > 0 ? QString(r.name % u" ("_s % QString::number(r.unread) % u')') : r.name;
    case NameRole:
        return r.name;
    case UnreadRole:
        return r.unread;
    case MentionsRole:
        return r.mentions;
    case CurrentRole:
        return r.name == m_current;
    case ActivityRole:
        return QVariant::fromValue(r.activity);
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert({{NameRole, "name"},
                  {UnreadRole, "unread"},
                  {MentionsRole, "mentions"},
                  {CurrentRole, "current"},
                  {ActivityRole, "activity"}});
    return names;
}

} // namespace Client
