#pragma once

#include <client/transferinfo.h>

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

namespace Client {

// Offers found through a room, grouped by content: one top-level row per SHA-256 (name, size,
// number of sources, free slots) with one child row per source. The best source of a group is
// the one with the most free slots that answered in time.
class OfferModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, SourcesColumn, SlotsColumn, ColumnCount };
    enum Role {
        OfferIdRole = Qt::UserRole + 1, // child: its offer; group: the best source's offer
        Sha256Role,
        SizeRole, // qint64
        PeerNickRole,
        FreeSlotsRole, // int; group: sum over its sources
        SourceCountRole,
        IsGroupRole,
    };

    explicit OfferModel(QObject *parent = nullptr);

    // Adds a source; a repeated offerId updates the source in place. Offers without a valid
    // SHA-256 are dropped (they cannot be verified), and false is returned.
    bool addOffer(const Client::OfferInfo &offer);
    void clear();

    [[nodiscard]] int groupCount() const { return int(m_groups.size()); }
    [[nodiscard]] std::optional<OfferInfo> bestOffer(const QString &sha256) const;
    [[nodiscard]] std::optional<OfferInfo> offerAt(const QModelIndex &index) const;

    [[nodiscard]] QModelIndex index(int row, int column,
                                    const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

private:
    struct Group
    {
        QString sha256;
        QList<OfferInfo> sources;
        [[nodiscard]] int bestIndex() const;
        [[nodiscard]] int freeSlots() const;
    };
    [[nodiscard]] QVariant groupData(const Group &g, int column, int role) const;
    [[nodiscard]] QVariant sourceData(const OfferInfo &o, int column, int role) const;

    QList<Group> m_groups;
    QHash<QString, int> m_groupBySha; // sha256 -> row
};

} // namespace Client
