#pragma once

#include <client/messagelistmodel.h>

#include <QHash>
#include <QObject>

namespace Protocol {
struct ChatMessage;
}

namespace Client {

// Private conversations inside a room, one per peer (HexChat's query tabs). A line addressed
// privately to one person, mine to them or theirs to me alone, belongs to that peer's query
// instead of the room's lines. Each query counts the lines that arrived while it was not on
// screen. A private line to several people stays in the room: it has no single peer.
class QueryList : public QObject
{
    Q_OBJECT
public:
    explicit QueryList(QObject *parent = nullptr);

    // The peer whose query `message` belongs to, or empty. `recipients` are the nicks of its
    // targets, in order (ChatModels resolves them from the member list).
    [[nodiscard]] static QString peerOf(const Protocol::ChatMessage &message, const QString &ownId,
                                        const QStringList &recipients);

    // The query's lines, made (and announced by queryAdded) on first use.
    MessageListModel *ensure(const QString &room, const QString &peer);
    // nullptr when there is no such query.
    [[nodiscard]] MessageListModel *messages(const QString &room, const QString &peer) const;
    [[nodiscard]] QStringList peers(const QString &room) const; // in opening order
    void setOwnIdentity(const QString &nick, const QString &clientId);
    void setMaximumLines(int lines) { m_maxLines = lines; }

    // One more line in a query; it counts unless the query is on screen.
    void countLine(const QString &room, const QString &peer, bool mention);
    // The query on screen in `room` (empty peer: the room's own lines); its count resets.
    void setCurrent(const QString &room, const QString &peer);
    [[nodiscard]] int unread(const QString &room, const QString &peer) const;
    [[nodiscard]] int mentionCount(const QString &room, const QString &peer) const;

Q_SIGNALS:
    void queryAdded(const QString &room, const QString &peer);
    void unreadChanged(const QString &room, const QString &peer, int unread, int mentions);

private:
    struct Query
    {
        MessageListModel *messages = nullptr;
        int unread = 0;
        int mentions = 0;
    };
    static QString key(const QString &room, const QString &peer);

    QHash<QString, Query> m_queries; // by key(room, peer)
    QHash<QString, QStringList> m_peers; // by room, in opening order
    QHash<QString, QString> m_current; // room -> peer on screen
    QString m_ownNick;
    QString m_ownId;
    int m_maxLines = 200000;
};

} // namespace Client
