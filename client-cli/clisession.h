#pragma once

#include <client-cli/cliconfig.h>
#include <client-cli/eventprinter.h>
#include <client-cli/filecommands.h>

#include <client/clientcore.h>
#include <client/command.h>
#include <client/serverfailover.h>

#include <QObject>
#include <QQueue>
#include <QSet>
#include <QTimer>

namespace Cli {

// Runs one CLI session: connects, joins the rooms from the command line, then executes
// commands in order (a "sleep" pauses the queue), printing every event. Finishing waits until
// the server has answered everything sent (a ping round trip), then says goodbye.
class CliSession : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { Ok = 0, ConnectionError = 1, UsageError = 2, ServerReportedError = 3 };

    CliSession(CliConfig config, QObject *parent = nullptr);
    void start();

public Q_SLOTS:
    void enqueue(const QString &line);
    void endOfInput();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void connectSignals();
    void onConnected(const QString &server, const QString &id);
    void runQueue();
    void execute(const Client::Command::Command &command);
    void beginFinish();
    void finish(int code);
    [[nodiscard]] QString roomOr(const QString &room) const;

    CliConfig m_config;
    EventPrinter m_printer;
    Client::ClientCore m_core;
    Client::ServerFailover m_failover {&m_core};
    FileCommands m_files {&m_core, &m_printer};
    QQueue<QString> m_queue;
    QSet<QString> m_pendingJoins;
    QString m_currentRoom;
    QTimer m_sleepTimer;
    QTimer m_finishDeadline;
    quint32 m_barrierPing = 0;
    bool m_ready = false;
    bool m_inputEnded = false;
    bool m_finishing = false;
    bool m_done = false;
    int m_exitCode = Ok;
};

} // namespace Cli
