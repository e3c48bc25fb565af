#pragma once

#include <client/transferinfo.h>

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace Client {

// Downloads and uploads as a table, one row per transfer id, fed by ClientCore's
// transferUpdated signal (a few times a second per active transfer). Updates change a row in
// place; rows stay until removeFinished().
class TransferListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        FileColumn,
        PeerColumn,
        DirectionColumn,
        ProgressColumn,
        RateColumn,
        EtaColumn,
        StateColumn,
        RttColumn,
        RetransmitColumn,
        PathColumn, // how the datagrams travel: direct on the LAN, punched through NAT, relayed
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        ProgressRole, // double 0..1, or -1 if the size is unknown
        StateRole, // TransferInfo::State
        DirectionRole, // TransferInfo::Direction
        LocalPathRole,
        Sha256Role,
        VerifiedRole,
        RateRole, // bytes/s
    };

    explicit TransferListModel(QObject *parent = nullptr);

    [[nodiscard]] const TransferInfo *transfer(const QString &id) const;
    [[nodiscard]] const TransferInfo &transferAt(int row) const { return m_rows.at(row); }
    [[nodiscard]] int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    [[nodiscard]] QList<TransferInfo> transfers() const { return m_rows; }

    [[nodiscard]] static QString stateText(TransferInfo::State state);
    // Seconds left at the current rate; -1 when unknown.
    [[nodiscard]] static qint64 etaSeconds(const TransferInfo &t);
    [[nodiscard]] static QString formatRate(double bytesPerSecond);
    [[nodiscard]] static QString formatDuration(qint64 seconds);
    // "direct-lan" and friends (TransferInfo::path) as people read them.
    [[nodiscard]] static QString pathText(const QString &path);
    // "5.02 %", or "5.02 % (0.10 % spurious)" when some of it was resent for nothing; "0.00 %"
    // once data has moved and none was resent, empty before.
    [[nodiscard]] static QString resentText(const TransferInfo &t);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

public Q_SLOTS:
    void update(const Client::TransferInfo &info);
    void removeFinished();
    void clear();

Q_SIGNALS:
    // A transfer reached Done, Failed or Cancelled (once per transfer).
    void transferFinished(const Client::TransferInfo &info);

private:
    [[nodiscard]] QVariant displayData(const TransferInfo &t, int column) const;
    void reindex();

    QList<TransferInfo> m_rows;
    QHash<QString, int> m_rowById;
};

} // namespace Client
