#include <client/filemodels.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/filesharing.h>

#include <QLocale>

namespace Client {

FileModels::FileModels(ClientCore *core, ChatModels *chat, std::chrono::milliseconds rateWindow,
                       QObject *parent)
    : QObject(parent)
    , m_chat(chat)
    , m_rates(rateWindow)
{
    // Asking for files() creates the file side of the core (it binds no socket yet).
    FileSharing *files = core->files();
    connect(files, &FileSharing::offerReceived, &m_offers, &OfferModel::addOffer);
    connect(files, &FileSharing::transferUpdated, &m_transfers, &TransferListModel::update);
    connect(files, &FileSharing::transferUpdated, &m_rates, &RateHistory::update);
    if (chat) {
        connect(files, &FileSharing::shareAnnounced, chat, &ChatModels::addShareAnnouncement);
        connect(files, &FileSharing::sharedToRoom, this, &FileModels::onSharedToRoom);
    }
}

void FileModels::onSharedToRoom(const QString &room, const QString &fileName, qint64 size)
{
    m_chat->addNotice(room,
                      tr("%1 (%2) is shared: the room was told and can download it.")
                              .arg(fileName, QLocale().formattedDataSize(size)));
}

} // namespace Client
