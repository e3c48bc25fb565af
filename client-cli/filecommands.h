#pragma once

#include <client-cli/cliconfig.h>
#include <client-cli/eventprinter.h>

#include <client/command.h>
#include <client/transferinfo.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Client {
class ClientCore;
class FileSharing;
} // namespace Client

namespace Cli {

// The CLI's file commands (share, find, get, transfers, cancel, wait) and the file events it
// prints: offer, transfer-started, transfer-progress, transfer-refused, transfer-done,
// transfer-failed, share-announced, hashing.
class FileCommands : public QObject
{
    Q_OBJECT
public:
    FileCommands(Client::ClientCore *core, EventPrinter *printer, QObject *parent = nullptr);
    // Applies --share, --downloads, --max-uploads, --impair. False (reported) on failure.
    bool configure(const CliConfig &config);
    // Runs one file command in `room`; false with *error when it could not.
    bool execute(const Client::Command::Command &command, const QString &room, QString *error);
    // A "wait" is holding the command queue.
    [[nodiscard]] bool isWaiting() const { return m_waiting; }

Q_SIGNALS:
    void waitEnded();

private:
    void connectSignals();
    void onOffer(const Client::OfferInfo &offer);
    void onUpdated(const Client::TransferInfo &t);
    void startWait(double seconds);
    void checkWait();
    void printTransfers();

    Client::ClientCore *m_core;
    Client::FileSharing *m_files;
    EventPrinter *m_printer;
    QHash<QString, int> m_groups; // sha256 -> group number shown to people
    QHash<QString, Client::TransferInfo::State> m_lastState; // transfer id -> last printed
    QTimer m_waitDeadline;
    bool m_waiting = false;
};

} // namespace Cli
