#include <client-gui/transfersview.h>

#include <client-gui/filenamedelegate.h>
#include <client-gui/progressdelegate.h>
#include <client-gui/transfercolumns.h>

#include <client/transferlistmodel.h>

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Client::TransferInfo;
using Client::TransferListModel;

namespace Gui {

TransfersView::TransfersView(TransferListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new QTableView(this))
{
    setObjectName(u"transfers"_s);
    m_table->setModel(model);
    m_table->setItemDelegateForColumn(TransferListModel::FileColumn, new FileNameDelegate(m_table));
    m_table->setItemDelegateForColumn(TransferListModel::ProgressColumn,
                                      new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_columns = new TransferColumns(m_table);
    m_table->setAccessibleName(tr("Transfers"));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    const auto act = [this](const QString &icon, const QString &text, const QKeySequence &key) {
        auto *a = new QAction(QIcon(icon), text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_table->addAction(a);
        return a;
    };
    m_pause = act(u":/icons/pause.svg"_s, tr("&Pause"), QKeySequence());
    m_resume = act(u":/icons/resume.svg"_s, tr("&Resume"), QKeySequence(Qt::Key_Return));
    m_cancel = act(u":/icons/cancel.svg"_s, tr("&Cancel"), QKeySequence::Delete);
    m_open = act(u":/icons/open.svg"_s, tr("&Open file"), QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_openFolder = act(u":/icons/folder.svg"_s, tr("Open &folder"), QKeySequence());
    m_clear = act(u":/icons/clear.svg"_s, tr("C&lear finished"), QKeySequence());

    connect(m_pause, &QAction::triggered, this,
            [this] { Q_EMIT pauseRequested(currentTransfer()); });
    connect(m_resume, &QAction::triggered, this,
            [this] { Q_EMIT resumeRequested(currentTransfer()); });
    connect(m_cancel, &QAction::triggered, this,
            [this] { Q_EMIT cancelRequested(currentTransfer()); });
    connect(m_open, &QAction::triggered, this, [this] { openFile(false); });
    connect(m_openFolder, &QAction::triggered, this, [this] { openFile(true); });
    connect(m_clear, &QAction::triggered, model, &TransferListModel::removeFinished);
    // Space toggles, as in torrent clients: pause a running download, resume a paused one.
    auto *toggle = new QAction(tr("Pause or resume"), this);
    toggle->setShortcut(QKeySequence(Qt::Key_Space));
    toggle->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(toggle);
    connect(toggle, &QAction::triggered, this, [this] {
        if (m_resume->isEnabled())
            m_resume->trigger();
        else if (m_pause->isEnabled())
            m_pause->trigger();
    });

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(16, 16));
    toolbar->addActions(transferActions());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_table);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateActions();
        Q_EMIT currentTransferChanged(currentTransfer());
    });
    connect(model, &QAbstractItemModel::dataChanged, this, &TransfersView::updateActions);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TransfersView::updateActions);
    updateActions();
}

QList<QAction *> TransfersView::transferActions() const
{
    return {m_pause, m_resume, m_cancel, m_open, m_openFolder, m_clear};
}

QString TransfersView::currentTransfer() const
{
    const QModelIndex i = m_table->currentIndex();
    return i.isValid() ? i.siblingAtColumn(0).data(TransferListModel::IdRole).toString()
                       : QString();
}

QString TransfersView::currentPath() const
{
    const TransferInfo *t = m_model->transfer(currentTransfer());
    return t ? t->localPath : QString();
}

void TransfersView::updateActions()
{
    const TransferInfo *t = m_model->transfer(currentTransfer());
    using S = TransferInfo::State;
    const bool active = t && !t->isFinal();
    // Only the downloader can pause or resume; an upload can be cancelled.
    const bool download = t && t->direction == TransferInfo::Direction::Download;
    m_pause->setEnabled(active && download && t->state != S::Paused);
    m_resume->setEnabled(active && download && t->state == S::Paused);
    m_cancel->setEnabled(active);
    const bool present = t && !t->localPath.isEmpty() && QFileInfo::exists(t->localPath);
    m_open->setEnabled(present
                       && (t->state == S::Done || t->direction == TransferInfo::Direction::Upload));
    m_openFolder->setEnabled(t && !t->localPath.isEmpty());
}

bool TransfersView::openFile(bool folder)
{
    const QString path = currentPath();
    if (path.isEmpty())
        return false;
    const QString target = folder ? QFileInfo(path).absolutePath() : path;
    // Said on screen, not only in a log: the file may have been moved, or nothing opens it.
    if (!QFileInfo::exists(target)) {
        Q_EMIT openFailed(tr("%1 no longer exists.").arg(QDir::toNativeSeparators(target)));
        return false;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(target))) {
        Q_EMIT openFailed(
                tr("No application could open %1.").arg(QDir::toNativeSeparators(target)));
        return false;
    }
    return true;
}

} // namespace Gui
