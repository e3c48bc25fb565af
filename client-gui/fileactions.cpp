#include "fileactions.h"

#include "guisettings.h"

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/filesharing.h>
#include <client/offermodel.h>
#include <client/ratehistory.h>
#include <client/transferlistmodel.h>

#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;
using Client::FileSharing;

namespace Gui {

FileActions::FileActions(Client::ClientCore *core, Models models, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_models(models)
{
    connectSignals();
}

void FileActions::connectSignals()
{
    FileSharing *files = m_core->files();
    connect(files, &FileSharing::offerReceived, m_models.offers, &Client::OfferModel::addOffer);
    connect(files, &FileSharing::transferUpdated, m_models.transfers,
            &Client::TransferListModel::update);
    connect(files, &FileSharing::transferUpdated, m_models.rates, &Client::RateHistory::update);
    connect(files, &FileSharing::shareAnnounced, m_models.chat,
            &Client::ChatModels::addShareAnnouncement);
    connect(files, &FileSharing::sharedToRoom, m_models.chat,
            [this](const QString &room, const QString &fileName, qint64 size) {
                m_models.chat->addNotice(
                        room,
                        tr("%1 (%2) is shared: the room was told and can download it.")
                                .arg(fileName, QLocale().formattedDataSize(size)));
            });
    connect(files, &FileSharing::hashingProgress, this,
            [this](int filesDone, int filesTotal, qint64 bytesDone, qint64 bytesTotal) {
                if (filesDone >= filesTotal)
                    return;
                const int percent = bytesTotal > 0 ? int(bytesDone * 100 / bytesTotal) : 0;
                Q_EMIT message(tr("Hashing shared files: %1 of %2, %3 %")
                                       .arg(filesDone)
                                       .arg(filesTotal)
                                       .arg(percent));
            });
    connect(files, &FileSharing::transferRefused, this,
            [this](const Client::TransferInfo &t, const QString &peer, const QString &reason) {
                Q_EMIT message(tr("%1 refused %2 (%3); trying the next source")
                                       .arg(peer, t.fileName, reason));
            });
}

void FileActions::applySettings(const GuiSettings &settings)
{
    FileSharing *files = m_core->files();
    FileSharing::Settings s = files->settings();
    s.downloadsDir = settings.downloadFolder();
    s.maxUploads = settings.uploadSlots();
    s.uploadRateCap = quint64(settings.uploadRateLimitKiB()) * 1024;
    s.mode = settings.transferMode() == TransferMode::GoBackN ? Transfer::ArqMode::GoBackN
                                                              : Transfer::ArqMode::SelectiveRepeat;
    const QString spec = settings.testConditions().spec();
    QString error;
    const auto impairment = Transfer::ImpairmentSpec::parse(spec, &error);
    if (impairment)
        s.impairment = *impairment;
    else
        Q_EMIT message(tr("Test conditions ignored: %1").arg(error));
    files->setSettings(s);
    for (const QString &folder : settings.sharedFolders())
        files->share(folder);
}

void FileActions::share(const QString &room, const QStringList &paths)
{
    for (const QString &path : paths) {
        const QString name = QFileInfo(path).fileName();
        if (m_core->files()->shareAndAnnounce(room, path))
            m_models.chat->addNotice(room, tr("Sharing %1…").arg(name));
        else
            m_models.chat->addNotice(room, tr("Could not share %1").arg(name), true);
    }
}

void FileActions::find(const QString &room, const QString &pattern)
{
    if (room.isEmpty())
        return;
    m_models.offers->clear();
    m_core->files()->find(room, pattern);
    Q_EMIT message(tr("Looking for \"%1\" in %2…").arg(pattern, room));
}

void FileActions::download(const QString &offerId)
{
    if (m_core->files()->download(offerId).isEmpty())
        Q_EMIT message(tr("That offer is no longer available."));
}

void FileActions::downloadBest(const QString &sha256, const QString &fileName)
{
    if (m_core->files()->downloadBest(sha256).isEmpty())
        Q_EMIT message(tr("No source is known for %1.").arg(fileName));
    else
        Q_EMIT message(tr("Downloading %1…").arg(fileName));
}

void FileActions::pause(const QString &transferId)
{
    m_core->files()->pauseTransfer(transferId);
}

void FileActions::resume(const QString &transferId)
{
    m_core->files()->resumeTransfer(transferId);
}

void FileActions::cancel(const QString &transferId)
{
    m_core->files()->cancelTransfer(transferId);
}

} // namespace Gui
