#include <client/messagelistmodel.h>

#include <protocol/messages.h>

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace Client {

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MessageListModel::setOwnIdentity(const QString &nick, const QString &clientId)
{
    m_ownNick = nick;
    m_ownId = clientId;
}

bool MessageListModel::mentions(const QString &text, const QString &nick)
{
    if (nick.isEmpty())
        return false;
    const auto isNickChar
            = [](QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.'; };
    qsizetype from = 0;
    while (true) {
        const qsizetype at = text.indexOf(nick, from, Qt::CaseInsensitive);
        if (at < 0)
            return false;
        const qsizetype end = at + nick.size();
        const bool startOk = at == 0 || !isNickChar(text.at(at - 1));
        // A trailing '.' ends a sentence, not a nick.
        const bool endOk = end == text.size() || !isNickChar(text.at(end))
                || (text.at(end) == u'.'
                    && (end + 1 == text.size() || !isNickChar(text.at(end + 1))));
        if (startOk && endOk)
            return true;
        from = at + 1;
    }
}

void MessageListModel::appendMessage(const Protocol::ChatMessage &message,
                                     const QStringList &recipients)
{
    Entry e;
    e.timeMs = message.time > 0 ? message.time : QDateTime::currentMSecsSinceEpoch();
    e.sender = message.from.nick;
    e.text = message.text;
    e.kind = Kind::Chat;
    e.own = !m_ownId.isEmpty() && message.from.id == m_ownId;
    e.privateLine = !message.targets.isEmpty();
    e.recipients = recipients.join(u", "_s);
    e.mention = !e.own
            && ((e.privateLine && message.targets.contains(m_ownId))
                || mentions(message.text, m_ownNick));
    appendEntries({e});
}

void MessageListModel::appendSystem(Kind kind, const QString &text, qint64 timeMs)
{
    Entry e;
    e.timeMs = timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch();
    e.text = text;
    e.kind = kind;
    appendEntries({e});
}

void MessageListModel::appendShare(const QString &fromNick, const QString &fileName, qint64 size,
                                   const QString &sha256, qint64 timeMs)
{
    Entry e;
    e.timeMs = timeMs > 0 ? timeMs : QDateTime::currentMSecsSinceEpoch();
    e.sender = fromNick;
    e.text = fileName;
    e.sha256 = sha256;
    e.size = size;
    e.kind = Kind::Share;
    e.own = !m_ownNick.isEmpty() && fromNick == m_ownNick;
    appendEntries({e});
}

void MessageListModel::appendPending(quint32 pendingId, const QString &text, bool privateLine)
{
    Entry e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.sender = m_ownNick;
    e.text = text;
    e.own = true;
    e.privateLine = privateLine;
    e.pendingId = pendingId;
    appendEntries({e});
}

bool MessageListModel::removePending(quint32 pendingId)
{
    // Pending lines are recent: search from the end.
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (m_entries.at(row).pendingId != pendingId)
            continue;
        beginRemoveRows({}, row, row);
        m_entries.removeAt(row);
        endRemoveRows();
        return true;
    }
    return false;
}

void MessageListModel::appendEntries(const QList<Entry> &entries)
{
    if (entries.isEmpty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(entries.size()) - 1);
    m_entries.append(entries);
    endInsertRows();
    for (const Entry &e : entries) {
        if (e.mention)
            Q_EMIT mentioned(e);
    }
    trim();
}

void MessageListModel::trim()
{
    if (m_maxLines <= 0 || m_entries.size() <= m_maxLines)
        return;
    // Drop a tenth beyond the limit at once so that trimming is rare, not once per line.
    const int drop = int(m_entries.size()) - m_maxLines + m_maxLines / 10;
    const int n = std::min(drop, int(m_entries.size()));
    beginRemoveRows({}, 0, n - 1);
    m_entries.remove(0, n);
    endRemoveRows();
}

void MessageListModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (e.kind == Kind::Chat)
            return QString(e.sender % u": "_s % e.text);
        return e.text;
    case Qt::ToolTipRole:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs), QLocale::LongFormat);
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs);
    case SenderRole:
        return e.sender;
    case TextRole:
        return e.text;
    case KindRole:
        return QVariant::fromValue(e.kind);
    case MentionRole:
        return e.mention;
    case PrivateRole:
        return e.privateLine;
    case OwnRole:
        return e.own;
    case FileNameRole:
        return e.kind == Kind::Share ? QVariant(e.text) : QVariant();
    case FileSizeRole:
        return e.kind == Kind::Share ? QVariant(e.size) : QVariant();
    case Sha256Role:
        return e.kind == Kind::Share ? QVariant(e.sha256) : QVariant();
    case PendingRole:
        return e.pendingId != 0;
    case RecipientsRole:
        return e.recipients;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert({{TimeRole, "time"},
                  {SenderRole, "sender"},
                  {TextRole, "text"},
                  {KindRole, "kind"},
                  {MentionRole, "mention"},
                  {PrivateRole, "private"},
                  {OwnRole, "own"},
                  {FileNameRole, "fileName"},
                  {FileSizeRole, "fileSize"},
                  {Sha256Role, "sha256"},
                  {PendingRole, "pending"},
                  {RecipientsRole, "recipients"}});
    return names;
}

} // namespace Client
