#include "transfersview.h"

#include "progressdelegate.h"

#include <client/transferlistmodel.h>

#include <QAction>
#include <QDesktopServices>
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
    m_table->setItemDelegateForColumn(TransferListModel::ProgressColumn,
                                      new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    // The state carries failure reasons, so it takes the spare width.
    m_table->horizontalHeader()->setSectionResizeMode(TransferListModel::StateColumn,
                                                      QHeaderView::Stretch);
    const std::pair<int, int> widths[] = {
            {TransferListModel::FileColumn, 180},     {TransferListModel::PeerColumn, 90},
            {TransferListModel::DirectionColumn, 70}, {TransferListModel::ProgressColumn, 170},
            {TransferListModel::RateColumn, 90},      {TransferListModel::EtaColumn, 60},
            {TransferListModel::RttColumn, 75},       {TransferListModel::RetransmitColumn, 95},
            {TransferListModel::PathColumn, 130},
    };
    for (const auto &[column, width] : widths)
        m_table->setColumnWidth(column, width);
    m_table->setAccessibleName(tr("Transfers"));
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    const auto act = [this](const QString &icon, const QString &text, const QKeySequence &key) {
        auto *a = new QAction(QIcon(icon), text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_table->addAction(a);
        return a;
    };
    m_pause = act(u":/icons/pause.svg"_s, tr("&Pause"), QKeySequence(Qt::Key_Space));
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
    m_pause->setEnabled(active && t->state != S::Paused);
    m_resume->setEnabled(active && t->state == S::Paused);
    m_cancel->setEnabled(active);
    const bool present = t && !t->localPath.isEmpty() && QFileInfo::exists(t->localPath);
    m_open->setEnabled(present
                       && (t->state == S::Done || t->direction == TransferInfo::Direction::Upload));
    m_openFolder->setEnabled(t && !t->localPath.isEmpty());
}

void TransfersView::openFile(bool folder)
{
    const QString path = currentPath();
    if (path.isEmpty())
        return;
    const QString target = folder ? QFileInfo(path).absolutePath() : path;
    QDesktopServices::openUrl(QUrl::fromLocalFile(target));
}

} // namespace Gui
