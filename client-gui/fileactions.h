#pragma once

#include <client/existingcopy.h>

#include <QObject>
#include <QStringList>

#include <functional>

namespace Client {
class ClientCore;
class ChatModels;
class FileModels;
} // namespace Client

class QWidget;

namespace Gui {

class GuiSettings;

// The one place where the desktop client asks ClientCore to move files (share, find,
// download, pause, resume, cancel), and where file events become status-bar messages. The
// models follow FileSharing by themselves (Client::FileModels).
class FileActions : public QObject
{
    Q_OBJECT
public:
    struct Models
    {
        Client::ChatModels *chat = nullptr;
        Client::FileModels *files = nullptr;
    };

    FileActions(Client::ClientCore *core, Models models, QObject *parent = nullptr);

    // Download folder, upload slots and rate cap, transfer mode and test conditions.
    void applySettings(const GuiSettings &settings);

    // Asked before downloading content that is already here (FileSharing::existingCopyOf):
    // by default a message box "Open existing / Download again / Cancel"; tests answer it.
    using DuplicateAsker = std::function<Client::DuplicateChoice(const QString &fileName,
                                                                 const QString &existingPath)>;
    void setDuplicateAsker(DuplicateAsker asker) { m_askDuplicate = std::move(asker); }
    // Opens a local file (by default with the desktop's application for it).
    void setFileOpener(std::function<bool(const QString &path)> opener)
    {
        m_openFile = std::move(opener);
    }
    // The message box of the default asker; `parent` is the window it belongs to.
    static Client::DuplicateChoice askAboutDuplicate(QWidget *parent, const QString &fileName,
                                                     const QString &existingPath);

    // Asks, as the download buttons do, when content of that SHA-256 is already here; false
    // when the person chose not to download it again (opening the copy, or cancelling).
    [[nodiscard]] bool mayDownload(const QString &sha256, const QString &fileName);

public Q_SLOTS:
    void share(const QString &room, const QStringList &paths);
    void find(const QString &room, const QString &pattern);
    void download(const QString &offerId);
    void downloadBest(const QString &sha256, const QString &fileName);
    void pause(const QString &transferId);
    void resume(const QString &transferId);
    void cancel(const QString &transferId);

Q_SIGNALS:
    // Something to tell the person in the status bar.
    void message(const QString &text);

private:
    void connectSignals();
    // True when the download should go ahead; otherwise the existing copy was opened or the
    // person cancelled.
    bool confirmDownload(const QString &existingPath, const QString &fileName);

    Client::ClientCore *m_core;
    Models m_models;
    DuplicateAsker m_askDuplicate;
    std::function<bool(const QString &)> m_openFile;
};

} // namespace Gui
