#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace Protocol {
struct ChatMessage;
}

namespace Client {

// The lines of one room: chat messages, system lines (joins, leaves, splits, notices) and file
// announcements. Rows are compact value structs in one QList so that 100,000 lines cost a few
// megabytes and appending is amortised O(1); views draw them with a delegate, never a widget
// per row. Appends arriving in one event-loop turn can be batched with appendEntries().
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class Kind : quint8 { Chat, Join, Leave, Split, Notice, Error, Share };
    Q_ENUM(Kind)

    enum Role {
        TimeRole = Qt::UserRole + 1, // QDateTime, local time
        SenderRole,
        TextRole,
        KindRole, // Kind
        MentionRole, // bool: the line names me (or was addressed to me)
        PrivateRole, // bool: addressed to chosen members only
        OwnRole, // bool: I wrote it
        FileNameRole, // Share lines
        FileSizeRole, // Share lines, qint64
        Sha256Role, // Share lines
        PendingRole, // bool: my line, typed while offline, not sent yet
        RecipientsRole, // QString: the nicks a private line went to ("bob, carol")
    };

    struct Entry
    {
        qint64 timeMs = 0; // ms since the epoch
        QString sender; // nick; empty for system lines
        QString text;
        QString sha256; // Share lines only
        QString recipients; // private lines: the nicks they went to, as far as known
        qint64 size = 0; // Share lines only
        quint32 pendingId = 0; // non-zero: my line waiting to be sent (Outbox)
        Kind kind = Kind::Chat;
        bool mention = false;
        bool privateLine = false;
        bool own = false;
    };

    explicit MessageListModel(QObject *parent = nullptr);

    // Who "me" is, for the mention and own-line flags of later lines.
    void setOwnIdentity(const QString &nick, const QString &clientId);
    [[nodiscard]] QString ownNick() const { return m_ownNick; }

    // Oldest lines are dropped in chunks beyond this many (0 = unbounded).
    void setMaximumLines(int lines) { m_maxLines = lines; }

    // `recipients`: the nicks of a private message's targets (ids on the wire).
    void appendMessage(const Protocol::ChatMessage &message, const QStringList &recipients = {});
    void appendSystem(Kind kind, const QString &text, qint64 timeMs = 0);
    void appendShare(const QString &fromNick, const QString &fileName, qint64 size,
                     const QString &sha256, qint64 timeMs = 0);
    void appendEntries(const QList<Entry> &entries);
    // My line that cannot be sent yet, marked pending under `pendingId` (non-zero) until
    // removePending() takes it away when it is sent (the server's echo is the sent line).
    void appendPending(quint32 pendingId, const QString &text, bool privateLine);
    bool removePending(quint32 pendingId);
    void clear();

    [[nodiscard]] const Entry &entry(int row) const { return m_entries.at(row); }
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // True if `text` names `nick` as a word ("@bob", "bob:", "hi bob!"), case-insensitively.
    [[nodiscard]] static bool mentions(const QString &text, const QString &nick);

Q_SIGNALS:
    // A line that mentions me or was sent to me privately was appended.
    void mentioned(const Client::MessageListModel::Entry &entry);

private:
    void trim();

    QList<Entry> m_entries;
    QString m_ownNick;
    QString m_ownId;
    int m_maxLines = 0;
};

} // namespace Client
