#pragma once

#include <client/command.h>

#include <QHash>
#include <QObject>

#include <functional>

namespace Client {
class ClientCore;
class ChatModels;
class Outbox;
} // namespace Client

namespace Gui {

// Runs what people type in a room's input line: plain text is said to the room, "@nick text"
// goes to chosen members, and "/command" lines are the CLI's commands (Client::Command::parse).
// Replies that are not chat (pongs, member lists, mistakes) appear as notices in the room.
// Chat typed while offline waits in the Outbox (shown pending); a command that needs the
// server is refused with a notice while offline, never dropped silently.
class CommandRunner : public QObject
{
    Q_OBJECT
public:
    CommandRunner(Client::ClientCore *core, Client::ChatModels *models, Client::Outbox *outbox,
                  QObject *parent = nullptr);

    // Asked before "/get" downloads content that may already be here (the desktop's
    // FileActions::mayDownload, the same question as the Download button's); true goes on.
    // Without one, "/get" downloads.
    using DownloadGate = std::function<bool(const QString &sha256, const QString &fileName)>;
    void setDownloadGate(DownloadGate gate) { m_mayDownload = std::move(gate); }

public Q_SLOTS:
    void run(const QString &room, const QString &line);

Q_SIGNALS:
    void roomRequested(const QString &room); // "/use ROOM", "/join ROOM"
    void quitRequested();

private:
    void execute(const QString &room, const Client::Command::Command &command);
    void notice(const QString &room, const QString &text, bool error = false);
    // "/get WHAT": an offer id, or the first offer whose name matches.
    void get(const QString &room, const QString &what);

    Client::ClientCore *m_core;
    Client::ChatModels *m_models;
    Client::Outbox *m_outbox;
    QHash<quint32, QString> m_pingRooms; // ping id -> room that asked
    DownloadGate m_mayDownload;
};

} // namespace Gui
