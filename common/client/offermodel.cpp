#include <client/offermodel.h>

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
// internalId 0 marks a group row; a source row stores its group's row + 1.
constexpr quintptr kGroupId = 0;

bool isSha256Hex(const QString &s)
{
    if (s.size() != 64)
        return false;
    for (QChar c : s) {
        const bool hex
                = (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
        if (!hex)
            return false;
    }
    return true;
}
} // namespace

int OfferModel::Group::bestIndex() const
{
    int best = 0;
    for (int i = 1; i < sources.size(); ++i) {
        const OfferInfo &a = sources.at(i);
        const OfferInfo &b = sources.at(best);
        if ((b.late && !a.late) || (a.late == b.late && a.freeSlots > b.freeSlots))
            best = i;
    }
    return best;
}

int OfferModel::Group::freeSlots() const
{
    int n = 0;
    for (const OfferInfo &o : sources)
        n += std::max(0, o.freeSlots);
    return n;
}

OfferModel::OfferModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

bool OfferModel::addOffer(const OfferInfo &offer)
{
    if (!isSha256Hex(offer.sha256) || offer.offerId.isEmpty())
        return false;
    const QString sha = offer.sha256.toLower();
    auto it = m_groupBySha.constFind(sha);
    if (it == m_groupBySha.cend()) {
        const int row = int(m_groups.size());
        beginInsertRows({}, row, row);
        m_groups.append({sha, {offer}});
        m_groupBySha.insert(sha, row);
        endInsertRows();
        return true;
    }
    const int row = *it;
    Group &g = m_groups[row];
    const QModelIndex parentIndex = index(row, 0);
    for (int i = 0; i < g.sources.size(); ++i) {
        if (g.sources.at(i).offerId == offer.offerId) {
            g.sources[i] = offer;
            Q_EMIT dataChanged(index(i, 0, parentIndex), index(i, ColumnCount - 1, parentIndex));
            Q_EMIT dataChanged(parentIndex, index(row, ColumnCount - 1));
            return true;
        }
    }
    const int child = int(g.sources.size());
    beginInsertRows(parentIndex, child, child);
    g.sources.append(offer);
    endInsertRows();
    Q_EMIT dataChanged(parentIndex, index(row, ColumnCount - 1));
    return true;
}

void OfferModel::clear()
{
    beginResetModel();
    m_groups.clear();
    m_groupBySha.clear();
    endResetModel();
}

std::optional<OfferInfo> OfferModel::bestOffer(const QString &sha256) const
{
    const auto it = m_groupBySha.constFind(sha256.toLower());
    if (it == m_groupBySha.cend())
        return std::nullopt;
    const Group &g = m_groups.at(*it);
    return g.sources.at(g.bestIndex());
}

std::optional<OfferInfo> OfferModel::offerAt(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return std::nullopt;
    if (index.internalId() == kGroupId)
        return bestOffer(m_groups.at(index.row()).sha256);
    return m_groups.at(int(index.internalId() - 1)).sources.at(index.row());
}

QModelIndex OfferModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kGroupId);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex OfferModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kGroupId);
}

int OfferModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != kGroupId || parent.column() != 0)
        return 0;
    return int(m_groups.at(parent.row()).sources.size());
}

int OfferModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant OfferModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kGroupId)
        return groupData(m_groups.at(index.row()), index.column(), role);
    const Group &g = m_groups.at(int(index.internalId() - 1));
    return sourceData(g.sources.at(index.row()), index.column(), role);
}

QVariant OfferModel::groupData(const Group &g, int column, int role) const
{
    const OfferInfo &best = g.sources.at(g.bestIndex());
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return best.fileName;
        case SizeColumn:
            return QLocale().formattedDataSize(best.size);
        case SourcesColumn:
            return int(g.sources.size());
        case SlotsColumn:
            return g.freeSlots();
        }
        return {};
    case Qt::ToolTipRole:
        return g.sha256;
    case OfferIdRole:
        return best.offerId;
    case Sha256Role:
        return g.sha256;
    case SizeRole:
        return best.size;
    case PeerNickRole:
        return best.peerNick;
    case FreeSlotsRole:
        return g.freeSlots();
    case SourceCountRole:
        return int(g.sources.size());
    case IsGroupRole:
        return true;
    default:
        return {};
    }
}

QVariant OfferModel::sourceData(const OfferInfo &o, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case NameColumn:
            return o.peerNick;
        case SizeColumn:
            return QLocale().formattedDataSize(o.size);
        case SourcesColumn:
            return {}; // a source is one source
        case SlotsColumn:
            return o.freeSlots;
        }
        return {};
    case Qt::ToolTipRole:
        return QString(o.fileName % u" · "_s % o.peerId % u" · "_s % o.room);
    case OfferIdRole:
        return o.offerId;
    case Sha256Role:
        return o.sha256.toLower();
    case SizeRole:
        return o.size;
    case PeerNickRole:
        return o.peerNick;
    case FreeSlotsRole:
        return o.freeSlots;
    case SourceCountRole:
        return 1;
    case IsGroupRole:
        return false;
    default:
        return {};
    }
}

QVariant OfferModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name / source");
    case SizeColumn:
        return tr("Size");
    case SourcesColumn:
        return tr("Sources");
    case SlotsColumn:
        return tr("Free slots");
    }
    return {};
}

} // namespace Client
