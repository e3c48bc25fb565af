#pragma once

#include <QObject>
#include <QStringList>

namespace Client {
class ClientCore;
class ChatModels;
} // namespace Client

namespace Gui {

// The one place where the desktop client asks ClientCore to move files: share, find, download,
// pause, resume, cancel. Windows emit requests; this turns them into ClientCore calls.
// While ClientCore has no file API, each request is answered with a notice in the room.
class FileActions : public QObject
{
    Q_OBJECT
public:
    FileActions(Client::ClientCore *core, Client::ChatModels *models, QObject *parent = nullptr);

    [[nodiscard]] bool available() const;

public Q_SLOTS:
    void share(const QString &room, const QStringList &paths);
    void find(const QString &room, const QString &pattern);
    void download(const QString &offerId);
    void downloadBest(const QString &sha256, const QString &fileName);
    void pause(const QString &transferId);
    void resume(const QString &transferId);
    void cancel(const QString &transferId);

Q_SIGNALS:
    // A request this client could not carry out, for the status bar.
    void unavailable(const QString &message);

private:
    void refuse(const QString &room);

    Client::ClientCore *m_core;
    Client::ChatModels *m_models;
};

} // namespace Gui
