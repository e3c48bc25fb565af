#include <client/transferlistmodel.h>

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Client {

TransferListModel::TransferListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

const TransferInfo *TransferListModel::transfer(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void TransferListModel::update(const TransferInfo &info)
{
    if (info.id.isEmpty())
        return;
    const int row = rowOf(info.id);
    if (row < 0) {
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(info);
        m_rowById.insert(info.id, at);
        endInsertRows();
        if (info.isFinal())
            Q_EMIT transferFinished(info);
        return;
    }
    const bool wasFinal = m_rows.at(row).isFinal();
    m_rows[row] = info;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (info.isFinal() && !wasFinal)
        Q_EMIT transferFinished(info);
}

void TransferListModel::removeFinished()
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!m_rows.at(row).isFinal())
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    reindex();
}

void TransferListModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    endResetModel();
}

void TransferListModel::reindex()
{
    m_rowById.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).id, i);
}

QString TransferListModel::stateText(TransferInfo::State state)
{
    using S = TransferInfo::State;
    switch (state) {
    case S::Queued:
        return tr("Queued");
    case S::Requesting:
        return tr("Requesting");
    case S::Refused:
        return tr("Refused, trying next peer");
    case S::Connecting:
        return tr("Connecting");
    case S::Transferring:
        return tr("Transferring");
    case S::Verifying:
        return tr("Verifying");
    case S::Paused:
        return tr("Paused");
    case S::Done:
        return tr("Done");
    case S::Failed:
        return tr("Failed");
    case S::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

qint64 TransferListModel::etaSeconds(const TransferInfo &t)
{
    if (t.state != TransferInfo::State::Transferring || t.rateBytesPerSecond <= 0 || t.size <= 0)
        return -1;
    const qint64 left = std::max<qint64>(0, t.size - t.progressBytes());
    return qint64(std::ceil(double(left) / t.rateBytesPerSecond));
}

QString TransferListModel::formatRate(double bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return {};
    return tr("%1/s").arg(QLocale().formattedDataSize(qint64(bytesPerSecond)));
}

QString TransferListModel::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

int TransferListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransferListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferListModel::displayData(const TransferInfo &t, int column) const
{
    switch (column) {
    case FileColumn:
        return t.fileName;
    case PeerColumn:
        return t.peerNick.isEmpty() ? t.peerId : t.peerNick;
    case DirectionColumn:
        return t.direction == TransferInfo::Direction::Download ? tr("Down") : tr("Up");
    case ProgressColumn:
        return tr("%1 of %2")
                .arg(QLocale().formattedDataSize(t.progressBytes()),
                     QLocale().formattedDataSize(t.size));
    case RateColumn:
        // Live while moving, the average once done; a stopped transfer has no rate.
        if (t.state != TransferInfo::State::Transferring && t.state != TransferInfo::State::Done)
            return QString();
        return formatRate(t.rateBytesPerSecond);
    case EtaColumn:
        return formatDuration(etaSeconds(t));
    case StateColumn:
        if (!t.error.isEmpty()
            && (t.state == TransferInfo::State::Failed || t.state == TransferInfo::State::Refused))
            return QString(stateText(t.state) % u": "_s % t.error);
        if (t.state == TransferInfo::State::Done && t.verified)
            return tr("Done, verified");
        // Only the downloader pauses; an upload is paused by the other side.
        if (t.state == TransferInfo::State::Paused
            && t.direction == TransferInfo::Direction::Upload)
            return tr("Paused by peer");
        return stateText(t.state);
    case RttColumn:
        return t.rttMs > 0 ? tr("%1 ms").arg(t.rttMs, 0, 'f', 1) : QString();
    case RetransmitColumn:
        return resentText(t);
    case PathColumn:
        return pathText(t.path);
    }
    return {};
}

QString TransferListModel::resentText(const TransferInfo &t)
{
    // Once data has moved, nothing resent is a figure too: an empty cell read as "not known".
    if (t.retransmitRatio <= 0)
        return t.movedBytes > 0 ? QString(QLocale().toString(0.0, 'f', 2) % u" %"_s) : QString();
    const QString resent = QLocale().toString(t.retransmitRatio * 100, 'f', 2) % u" %"_s;
    if (t.spuriousRatio <= 0)
        return resent;
    return tr("%1 (%2 % spurious)").arg(resent, QLocale().toString(t.spuriousRatio * 100, 'f', 2));
}

QString TransferListModel::pathText(const QString &path)
{
    if (path == u"direct-lan"_s)
        return tr("Direct (LAN)");
    if (path == u"direct-punched"_s)
        return tr("Direct (through NAT)");
    if (path == u"relayed"_s)
        return tr("Relayed by server");
    return path;
}

QVariant TransferListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TransferInfo &t = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(t, index.column());
    case Qt::ToolTipRole:
        if (index.column() == RetransmitColumn)
            return tr("Share of the file's data sent again after a loss; \"spurious\": sent "
                      "again although the first copy had arrived.");
        if (index.column() == StateColumn) // whole, where the cell elides a reason
            return displayData(t, StateColumn);
        return t.sha256.isEmpty() ? t.localPath : QString(t.localPath % u"\nSHA-256 "_s % t.sha256);
    case IdRole:
        return t.id;
    case ProgressRole:
        if (t.size <= 0)
            return t.state == TransferInfo::State::Done ? 1.0 : -1.0;
        return std::clamp(double(t.progressBytes()) / double(t.size), 0.0, 1.0);
    case StateRole:
        return QVariant::fromValue(t.state);
    case DirectionRole:
        return QVariant::fromValue(t.direction);
    case LocalPathRole:
        return t.localPath;
    case Sha256Role:
        return t.sha256;
    case VerifiedRole:
        return t.verified;
    case RateRole:
        return t.rateBytesPerSecond;
    default:
        return {};
    }
}

QVariant TransferListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FileColumn:
        return tr("File");
    case PeerColumn:
        return tr("Peer");
    case DirectionColumn:
        return tr("Direction");
    case ProgressColumn:
        return tr("Progress");
    case RateColumn:
        return tr("Rate");
    case EtaColumn:
        return tr("ETA");
    case StateColumn:
        return tr("State");
    case RttColumn:
        return tr("Round trip");
    case RetransmitColumn:
        return tr("Resent");
    case PathColumn:
        return tr("Path");
    }
    return {};
}

} // namespace Client
