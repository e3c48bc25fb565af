#include <client-gui/offersview.h>

#include <client/offermodel.h>

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Client::OfferModel;

namespace Gui {

OffersView::OffersView(OfferModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_search(new QLineEdit(this))
    , m_tree(new QTreeView(this))
    , m_download(new QAction(QIcon(u":/icons/download.svg"_s), tr("&Download"), this))
{
    setObjectName(u"offers"_s);
    m_search->setPlaceholderText(tr("Find files in the current room (e.g. *.iso)"));
    m_search->setAccessibleName(tr("Find files"));
    m_search->setClearButtonEnabled(true);
    auto *find = new QPushButton(QIcon(u":/icons/find.svg"_s), tr("&Find"), this);
    find->setAccessibleName(tr("Find"));
    const auto requestFind = [this] {
        const QString pattern = m_search->text().trimmed();
        if (!pattern.isEmpty())
            Q_EMIT findRequested(pattern);
    };
    connect(find, &QPushButton::clicked, this, requestFind);
    connect(m_search, &QLineEdit::returnPressed, this, requestFind);

    m_tree->setModel(model);
    m_tree->setAccessibleName(tr("Offers"));
    m_tree->setUniformRowHeights(true);
    // The name takes what the numbers leave; the numbers are as wide as they need.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(OfferModel::NameColumn, QHeaderView::Stretch);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_download->setToolTip(tr("Download from the best source, or from the chosen source"));
    m_download->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_download->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_tree->addAction(m_download);
    connect(m_download, &QAction::triggered, this, &OffersView::downloadCurrent);
    connect(m_tree, &QTreeView::activated, this, &OffersView::downloadCurrent);
    connect(model, &QAbstractItemModel::rowsInserted, m_tree, [this](const QModelIndex &parent) {
        if (!parent.isValid())
            m_tree->resizeColumnToContents(OfferModel::SizeColumn);
    });

    auto *downloadButton = new QPushButton(m_download->icon(), m_download->text(), this);
    downloadButton->setAccessibleName(tr("Download"));
    connect(downloadButton, &QPushButton::clicked, m_download, &QAction::trigger);

    auto *row = new QHBoxLayout;
    row->addWidget(m_search, 1);
    row->addWidget(find);
    row->addWidget(downloadButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_tree);
}

void OffersView::downloadCurrent()
{
    const std::optional<Client::OfferInfo> offer = m_model->offerAt(m_tree->currentIndex());
    if (offer)
        Q_EMIT downloadRequested(offer->offerId);
}

} // namespace Gui
