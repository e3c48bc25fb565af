#pragma once

#include <client/offermodel.h>
#include <client/ratehistory.h>
#include <client/transferlistmodel.h>

#include <QObject>

#include <chrono>

namespace Client {

class ChatModels;
class ClientCore;

// Adapts FileSharing's signals (ClientCore::files()) to item models: the offers found, the
// transfers with their rates and the throughput history; share announcements and "is shared"
// notices go to the rooms' lines in ChatModels. Front ends show these models and call
// FileSharing for actions; nothing here sends anything.
class FileModels : public QObject
{
    Q_OBJECT
public:
    // chat: where a room hears of shared files; nullptr = nowhere. `rateWindow`: how far back
    // the rate history reaches.
    explicit FileModels(ClientCore *core, ChatModels *chat,
                        std::chrono::milliseconds rateWindow = std::chrono::minutes(5),
                        QObject *parent = nullptr);

    [[nodiscard]] OfferModel *offers() { return &m_offers; }
    [[nodiscard]] TransferListModel *transfers() { return &m_transfers; }
    [[nodiscard]] RateHistory *rates() { return &m_rates; }

private:
    void onSharedToRoom(const QString &room, const QString &fileName, qint64 size);

    ChatModels *m_chat;
    OfferModel m_offers;
    TransferListModel m_transfers;
    RateHistory m_rates;
};

} // namespace Client
