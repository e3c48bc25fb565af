#include <client-gui/transfercolumns.h>

#include <client/transferlistmodel.h>

#include <QAction>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLocale>
#include <QTableView>

#include <algorithm>

using namespace Qt::StringLiterals;
using Client::TransferInfo;
using Client::TransferListModel;

namespace Gui {

namespace {
// The widest text a column usually shows, in the model's own formats (so in the language in
// use). Longer ones are elided: a long nick, a failure's reason and the moment of "Refused,
// trying next peer" (the state's tooltip has them whole).
QStringList usualTexts(int column)
{
    constexpr qint64 mebi = 1024 * 1024;
    switch (column) {
    case TransferListModel::PeerColumn:
        return {u"alice-pc"_s};
    case TransferListModel::DirectionColumn:
        return {TransferListModel::tr("Down"), TransferListModel::tr("Up")};
    case TransferListModel::ProgressColumn:
        return {TransferListModel::tr("%1 of %2")
                        .arg(QLocale().formattedDataSize(qint64(999.99 * mebi)),
                             QLocale().formattedDataSize(qint64(999.99 * mebi)))};
    case TransferListModel::RateColumn:
        return {TransferListModel::formatRate(999.99 * mebi)};
    case TransferListModel::EtaColumn:
        return {TransferListModel::formatDuration(59 * 60 + 59)};
    case TransferListModel::StateColumn: {
        QStringList texts {TransferListModel::tr("Done, verified")};
        for (int s = 0; s <= int(TransferInfo::State::Cancelled); ++s) {
            if (TransferInfo::State(s) != TransferInfo::State::Refused)
                texts.append(TransferListModel::stateText(TransferInfo::State(s)));
        }
        return texts;
    }
    case TransferListModel::RttColumn:
        return {TransferListModel::tr("%1 ms").arg(999.9, 0, 'f', 1)};
    case TransferListModel::RetransmitColumn: {
        TransferInfo t;
        t.retransmitRatio = 0.5555;
        return {TransferListModel::resentText(t)};
    }
    case TransferListModel::PathColumn:
        return {TransferListModel::pathText(u"direct-lan"_s),
                TransferListModel::pathText(u"direct-punched"_s),
                TransferListModel::pathText(u"relayed"_s)};
    }
    return {};
}
} // namespace

TransferColumns::TransferColumns(QTableView *table)
    : QObject(table)
    , m_table(table)
{
    QHeaderView *header = table->horizontalHeader();
    // The file name takes the spare width.
    header->setSectionResizeMode(TransferListModel::FileColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(40);
    sizeToTexts();
    // The file's arrow says the direction, and the graph the selected transfer's round trip.
    table->setColumnHidden(TransferListModel::DirectionColumn, true);
    table->setColumnHidden(TransferListModel::RttColumn, true);

    header->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (int column = 0; column < TransferListModel::ColumnCount; ++column) {
        if (column == TransferListModel::FileColumn) {
            m_actions.append(nullptr);
            continue;
        }
        auto *a = new QAction(
                table->model()->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(),
                this);
        a->setCheckable(true);
        connect(a, &QAction::toggled, this,
                [this, column](bool shown) { m_table->setColumnHidden(column, !shown); });
        header->addAction(a);
        m_actions.append(a);
    }
    syncActions();
}

void TransferColumns::sizeToTexts()
{
    const QFontMetrics text(m_table->font());
    const QFontMetrics heading(m_table->horizontalHeader()->font());
    // Room for the cell's margins and focus frame, and for the header's sort arrow.
    const int cellMargin = text.averageCharWidth() + 6;
    const int headingMargin = heading.averageCharWidth() * 4;
    for (int column = 0; column < TransferListModel::ColumnCount; ++column) {
        if (column == TransferListModel::FileColumn)
            continue;
        const QString title
                = m_table->model()->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        int width = heading.horizontalAdvance(title) + headingMargin;
        for (const QString &t : usualTexts(column))
            width = std::max(width, text.horizontalAdvance(t) + cellMargin);
        m_table->setColumnWidth(column, width);
    }
}

void TransferColumns::syncActions()
{
    for (int column = 0; column < int(m_actions.size()); ++column) {
        if (QAction *a = m_actions.at(column)) {
            const QSignalBlocker quiet(a);
            a->setChecked(!m_table->isColumnHidden(column));
        }
    }
}

QByteArray TransferColumns::saveState() const
{
    return m_table->horizontalHeader()->saveState();
}

bool TransferColumns::restoreState(const QByteArray &state)
{
    QHeaderView *header = m_table->horizontalHeader();
    if (state.isEmpty() || !header->restoreState(state))
        return false;
    // The file name keeps the spare width, whatever the saved state held.
    header->setSectionResizeMode(TransferListModel::FileColumn, QHeaderView::Stretch);
    syncActions();
    return true;
}

} // namespace Gui
