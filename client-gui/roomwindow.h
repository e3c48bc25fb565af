#pragma once

#include <client/connectionstatus.h>

#include <QHash>
#include <QWidget>

class QListView;
class QPushButton;
class QLabel;
class QTabWidget;

namespace Client {
class ChatModels;
class MessageListModel;
class MemberListModel;
} // namespace Client

namespace Gui {

class ChatInput;
class ConnectionBar;

// One room: its lines, its members and an input line. Private conversations with one peer
// have a tab each beside the room's lines; a line typed there goes to that peer alone. It shows the
// models and reports what people do (a line entered, files dropped, a shared file activated); it
// sends nothing itself.
class RoomWindow : public QWidget
{
    Q_OBJECT
public:
    RoomWindow(Client::ChatModels *models, const QString &room, QWidget *parent = nullptr);

    [[nodiscard]] QString room() const { return m_room; }
    [[nodiscard]] QListView *messageView() const { return m_messages; }
    [[nodiscard]] QListView *memberView() const { return m_members; }
    [[nodiscard]] ChatInput *input() const { return m_input; }
    [[nodiscard]] Client::MessageListModel *messageModel() const;
    [[nodiscard]] Client::MemberListModel *memberModel() const;
    // The room's lines, then one tab per private conversation (query) with a peer.
    [[nodiscard]] QTabWidget *views() const { return m_views; }
    [[nodiscard]] QListView *queryView(const QString &peer) const
    {
        return m_queryViews.value(peer);
    }
    // The peer whose query is on screen; empty for the room's own lines.
    [[nodiscard]] QString currentPeer() const;

    // A detached room window shows the reconnect bar itself (the main window may be hidden).
    [[nodiscard]] ConnectionBar *connectionBar() const { return m_bar; }
    void showConnection(const Client::ConnectionStatus &status);

    // Local file paths of the URLs a drop carries (folders included); empty if none.
    [[nodiscard]] static QStringList localPaths(const QList<QUrl> &urls);

Q_SIGNALS:
    void lineSubmitted(const QString &room, const QString &line);
    void shareRequested(const QString &room, const QStringList &paths);
    void shareDialogRequested(const QString &room);
    void downloadRequested(const QString &sha256, const QString &fileName);
    void reconnectRequested();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void submit();
    void activate(const QModelIndex &index);
    void followNewLines();
    void setUpMessageView(QListView *view);
    void addQueryTab(const QString &peer);
    // Closes a query's tab; the conversation stays, and its next line opens the tab again.
    void closeQueryTab(int index);
    void showQueryUnread(const QString &peer, int unread, int mentions);
    void setDropHighlight(bool on);

    Client::ChatModels *m_models;
    QString m_room;
    QListView *m_messages;
    QTabWidget *m_views;
    QHash<QString, QListView *> m_queryViews; // by peer
    QListView *m_members;
    ChatInput *m_input;
    QPushButton *m_send;
    QPushButton *m_share;
    QLabel *m_memberCount;
    ConnectionBar *m_bar;
    Client::ConnectionStatus m_status;
    bool m_stickToBottom = true;
};

} // namespace Gui
