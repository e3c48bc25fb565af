#include <client-gui/roomwindow.h>

#include <client-gui/chatinput.h>
#include <client-gui/connectionbar.h>
#include <client-gui/memberdelegate.h>
#include <client-gui/messagedelegate.h>

#include <client/chatmodels.h>
#include <client/querylist.h>

#include <QDragEnterEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Client::MemberListModel;
using Client::MessageListModel;

namespace Gui {

RoomWindow::RoomWindow(Client::ChatModels *models, const QString &room, QWidget *parent)
    : QWidget(parent)
    , m_models(models)
    , m_room(room)
    , m_messages(new QListView(this))
    , m_views(new QTabWidget(this))
    , m_members(new QListView(this))
    , m_input(new ChatInput(this))
    , m_send(new QPushButton(tr("Send"), this))
    , m_share(new QPushButton(QIcon(u":/icons/share.svg"_s), tr("Share files…"), this))
    , m_memberCount(new QLabel(this))
    , m_bar(new ConnectionBar(this))
{
    setObjectName(u"room:"_s % room);
    setWindowTitle(room);
    setAcceptDrops(true);

    m_messages->setModel(models->messages(room));
    setUpMessageView(m_messages);
    m_messages->setAccessibleName(tr("Messages in %1").arg(room));
    m_views->setDocumentMode(true);
    m_views->setTabBarAutoHide(true); // no tab bar until there is a query
    m_views->setTabsClosable(true);
    m_views->addTab(m_messages, room);
    // The room's own tab stays (styles put the button on either side).
    m_views->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);
    m_views->tabBar()->setTabButton(0, QTabBar::LeftSide, nullptr);

    m_members->setModel(models->members(room));
    m_members->setItemDelegate(new MemberDelegate(m_members));
    m_members->setAccessibleName(tr("Members of %1").arg(room));
    m_members->setAcceptDrops(false);

    m_input->setNickModel(models->members(room), MemberListModel::NickRole);
    m_input->setPlaceholderText(
            tr("Message %1 — @nick to address someone, /help for commands").arg(room));
    m_input->setAccessibleName(tr("Message input"));
    m_send->setAccessibleName(tr("Send message"));
    m_share->setAccessibleName(tr("Share files"));
    m_share->setToolTip(tr("Share files with this room (or drop them on the window)"));

    auto *memberPane = new QWidget(this);
    auto *memberLayout = new QVBoxLayout(memberPane);
    memberLayout->setContentsMargins(0, 0, 0, 0);
    memberLayout->addWidget(m_memberCount);
    memberLayout->addWidget(m_members);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_views);
    splitter->addWidget(memberPane);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_send);
    inputRow->addWidget(m_share);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_bar);
    layout->addWidget(splitter, 1);
    layout->addLayout(inputRow);

    connect(m_bar, &ConnectionBar::reconnectRequested, this, &RoomWindow::reconnectRequested);
    connect(m_input, &QLineEdit::returnPressed, this, &RoomWindow::submit);
    connect(m_send, &QPushButton::clicked, this, &RoomWindow::submit);
    connect(m_share, &QPushButton::clicked, this, [this] { Q_EMIT shareDialogRequested(m_room); });
    // "activated" is a double click (or a single one, where the style says so) or Enter.
    connect(m_messages, &QListView::activated, this, &RoomWindow::activate);

    // Follow new lines only while the view is at the bottom: reading history is not disturbed.
    QScrollBar *bar = m_messages->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_stickToBottom = value >= bar->maximum() - 4; });
    connect(messageModel(), &QAbstractItemModel::rowsInserted, this, &RoomWindow::followNewLines);
    const auto updateCount = [this] {
        m_memberCount->setText(tr("%n member(s)", nullptr, memberModel()->rowCount()));
    };
    connect(memberModel(), &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(memberModel(), &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(memberModel(), &QAbstractItemModel::modelReset, this, updateCount);
    updateCount();
    setFocusProxy(m_input);

    Client::QueryList *queries = models->queries();
    for (const QString &peer : queries->peers(room))
        addQueryTab(peer);
    connect(queries, &Client::QueryList::queryAdded, this,
            [this](const QString &inRoom, const QString &peer) {
                if (inRoom == m_room)
                    addQueryTab(peer);
            });
    connect(queries, &Client::QueryList::unreadChanged, this,
            [this](const QString &inRoom, const QString &peer, int unread, int mentions) {
                if (inRoom == m_room)
                    showQueryUnread(peer, unread, mentions);
            });
    connect(m_views, &QTabWidget::tabCloseRequested, this, &RoomWindow::closeQueryTab);
    connect(m_views, &QTabWidget::currentChanged, this,
            [this] { m_models->queries()->setCurrent(m_room, currentPeer()); });
}

void RoomWindow::setUpMessageView(QListView *view)
{
    view->setItemDelegate(new MessageDelegate(view));
    // Rows wrap, so their heights differ; batched layout keeps 100,000 of them responsive.
    view->setLayoutMode(QListView::Batched);
    view->setBatchSize(200);
    view->setResizeMode(QListView::Adjust);
    view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    view->setWordWrap(true);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setAcceptDrops(false);
}

void RoomWindow::addQueryTab(const QString &peer)
{
    if (m_queryViews.contains(peer))
        return;
    Client::MessageListModel *model = m_models->queries()->messages(m_room, peer);
    if (!model)
        return;
    auto *view = new QListView(m_views);
    view->setModel(model);
    setUpMessageView(view);
    view->setAccessibleName(tr("Private conversation with %1").arg(peer));
    m_queryViews.insert(peer, view);
    m_views->addTab(view, peer);
    connect(model, &QAbstractItemModel::rowsInserted, view,
            [this, view, model](const QModelIndex &, int, int last) {
                view->scrollToBottom();
                // A private line I wrote from the room's tab: its conversation comes forward.
                if (model->entry(last).own)
                    m_views->setCurrentWidget(view);
            });
    // The line that opened the query was counted before this tab existed.
    showQueryUnread(peer, m_models->queries()->unread(m_room, peer),
                    m_models->queries()->mentionCount(m_room, peer));
    if (model->rowCount() > 0 && model->entry(model->rowCount() - 1).own)
        m_views->setCurrentWidget(view);
}

void RoomWindow::closeQueryTab(int index)
{
    auto *view = qobject_cast<QListView *>(m_views->widget(index));
    const QString peer = m_queryViews.key(view);
    if (!view || peer.isEmpty())
        return; // the room's own tab
    m_queryViews.remove(peer);
    m_views->removeTab(index);
    view->deleteLater();
    if (Client::MessageListModel *model = m_models->queries()->messages(m_room, peer)) {
        connect(
                model, &QAbstractItemModel::rowsInserted, this, [this, peer] { addQueryTab(peer); },
                Qt::SingleShotConnection);
    }
}

void RoomWindow::showQueryUnread(const QString &peer, int unread, int mentions)
{
    const int index = m_views->indexOf(m_queryViews.value(peer));
    if (index < 0)
        return;
    m_views->setTabText(index, unread > 0 ? u"%1 (%2)"_s.arg(peer).arg(unread) : peer);
    m_views->tabBar()->setTabTextColor(
            index,
            mentions > 0 ? QColor(211, 47, 47) : (unread > 0 ? QColor(25, 118, 210) : QColor()));
}

QString RoomWindow::currentPeer() const
{
    return m_queryViews.key(qobject_cast<QListView *>(m_views->currentWidget()));
}

void RoomWindow::showConnection(const Client::ConnectionStatus &status)
{
    m_status = status;
    // Docked, the main window's bar says it; detached, this window must.
    if (isWindow())
        m_bar->showStatus(status);
    else
        m_bar->hide();
}

Client::MessageListModel *RoomWindow::messageModel() const
{
    return m_models->messages(m_room);
}

Client::MemberListModel *RoomWindow::memberModel() const
{
    return m_models->members(m_room);
}

void RoomWindow::submit()
{
    const QString line = m_input->text();
    if (line.trimmed().isEmpty())
        return;
    m_input->commit();
    m_stickToBottom = true;
    // In a query a line goes to its peer alone; a command stays a command.
    const QString peer = currentPeer();
    if (!peer.isEmpty() && !line.startsWith(u'/'))
        Q_EMIT lineSubmitted(m_room, u"@"_s % peer % u' ' % line);
    else
        Q_EMIT lineSubmitted(m_room, line);
}

void RoomWindow::activate(const QModelIndex &index)
{
    if (index.data(MessageListModel::KindRole).value<MessageListModel::Kind>()
        != MessageListModel::Kind::Share)
        return;
    Q_EMIT downloadRequested(index.data(MessageListModel::Sha256Role).toString(),
                             index.data(MessageListModel::FileNameRole).toString());
}

void RoomWindow::followNewLines()
{
    if (m_stickToBottom)
        m_messages->scrollToBottom();
}

QStringList RoomWindow::localPaths(const QList<QUrl> &urls)
{
    QStringList paths;
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QFileInfo info(url.toLocalFile());
        if (info.exists())
            paths << info.absoluteFilePath();
    }
    return paths;
}

void RoomWindow::setDropHighlight(bool on)
{
    m_messages->setStyleSheet(on ? u"QListView { border: 2px dashed palette(highlight); }"_s
                                 : QString());
}

void RoomWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && !localPaths(event->mimeData()->urls()).isEmpty()) {
        event->acceptProposedAction();
        setDropHighlight(true);
    }
}

void RoomWindow::dragLeaveEvent(QDragLeaveEvent *event)
{
    setDropHighlight(false);
    QWidget::dragLeaveEvent(event);
}

void RoomWindow::dropEvent(QDropEvent *event)
{
    setDropHighlight(false);
    const QStringList paths = localPaths(event->mimeData()->urls());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT shareRequested(m_room, paths);
}

} // namespace Gui
