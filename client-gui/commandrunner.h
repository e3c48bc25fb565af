#pragma once

#include <client/command.h>

#include <QHash>
#include <QObject>

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

public Q_SLOTS:
    void run(const QString &room, const QString &line);

Q_SIGNALS:
    void roomRequested(const QString &room); // "/use ROOM", "/join ROOM"
    void quitRequested();

private:
    void execute(const QString &room, const Client::Command::Command &command);
    void notice(const QString &room, const QString &text, bool error = false);

    Client::ClientCore *m_core;
    Client::ChatModels *m_models;
    Client::Outbox *m_outbox;
    QHash<quint32, QString> m_pingRooms; // ping id -> room that asked
};

} // namespace Gui
