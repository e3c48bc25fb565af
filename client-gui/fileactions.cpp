#include <client-gui/fileactions.h>

#include <client-gui/guisettings.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>
#include <client/filemodels.h>
#include <client/filesharing.h>
#include <client/offermodel.h>

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QUrl>

using namespace Qt::StringLiterals;
using Client::FileSharing;

namespace Gui {

FileActions::FileActions(Client::ClientCore *core, Models models, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_models(models)
    , m_askDuplicate([](const QString &fileName, const QString &existingPath) {
        return askAboutDuplicate(QApplication::activeWindow(), fileName, existingPath);
    })
    , m_openFile([](const QString &path) {
        return QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    })
{
    connectSignals();
}

Client::DuplicateChoice FileActions::askAboutDuplicate(QWidget *parent, const QString &fileName,
                                                       const QString &existingPath)
{
    QMessageBox box(QMessageBox::Question, tr("Already downloaded"),
                    tr("%1 is already here, with the same content:\n%2")
                            .arg(fileName, QDir::toNativeSeparators(existingPath)),
                    QMessageBox::NoButton, parent);
    box.setObjectName(u"duplicateDownload"_s);
    QPushButton *open = box.addButton(tr("Open existing"), QMessageBox::AcceptRole);
    QPushButton *again = box.addButton(tr("Download again"), QMessageBox::DestructiveRole);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(open);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() == open)
        return Client::DuplicateChoice::OpenExisting;
    if (box.clickedButton() == again)
        return Client::DuplicateChoice::DownloadAgain;
    return Client::DuplicateChoice::Cancel;
}

bool FileActions::confirmDownload(const QString &existingPath, const QString &fileName)
{
    if (existingPath.isEmpty())
        return true;
    switch (m_askDuplicate(fileName, existingPath)) {
    case Client::DuplicateChoice::DownloadAgain:
        return true;
    case Client::DuplicateChoice::OpenExisting:
        if (!m_openFile(existingPath))
            Q_EMIT message(tr("Nothing could open %1.").arg(existingPath));
        return false;
    case Client::DuplicateChoice::Cancel:
        break;
    }
    return false;
}

void FileActions::connectSignals()
{
    FileSharing *files = m_core->files();
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
    m_models.files->offers()->clear();
    m_core->files()->find(room, pattern);
    Q_EMIT message(tr("Looking for \"%1\" in %2…").arg(pattern, room));
}

void FileActions::download(const QString &offerId)
{
    FileSharing *files = m_core->files();
    const auto offers = files->offers();
    const auto offer
            = std::find_if(offers.cbegin(), offers.cend(),
                           [&](const Client::OfferInfo &o) { return o.offerId == offerId; });
    if (offer != offers.cend()
        && !confirmDownload(files->existingCopyOfOffer(offerId), offer->fileName))
        return;
    if (files->download(offerId).isEmpty())
        Q_EMIT message(tr("That offer is no longer available."));
}

bool FileActions::mayDownload(const QString &sha256, const QString &fileName)
{
    return confirmDownload(m_core->files()->existingCopyOf(sha256), fileName);
}

void FileActions::downloadBest(const QString &sha256, const QString &fileName)
{
    if (!mayDownload(sha256, fileName))
        return;
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
