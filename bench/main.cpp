// hopshare-bench: measures the UDP transport against TCP on the same machine in the same run.
//   hopshare-bench transfer [--quick] [--file-size 16MiB] [--out DIR]
//   hopshare-bench concurrency [--quick] [--file-size 8MiB] [--max 16] [--impair SPEC] [--out DIR]
//   hopshare-bench serve FILE --listen ADDR:PORT [--impair SPEC]
//   hopshare-bench fetch ADDR:PORT --out PATH [--impair SPEC]
//   hopshare-bench tcp-serve FILE --listen ADDR:PORT [--cc bbr|cubic]
//   hopshare-bench tcp-fetch ADDR:PORT --out PATH [--cc bbr|cubic]
//   hopshare-bench swarm [--quick] [--file-size 8MiB] [--slots 4] [--counts 1,2,4,8,16]
//   hopshare-bench chat [--clients 100,1000] [--senders 1,10] [--seconds 3] [--line]
//   hopshare-bench chat --gen [--ngircd-bin PATH] [--irc HOST:PORT] [--clients 1000,5000] [--out
//   DIR]

#include <bench/chatbench.h>
#include <bench/commands.h>
#include <bench/swarmbench.h>

#include <QApplication>
#include <QTextStream>

#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // Only the sweeps draw plots (QCustomPlot needs a QApplication); they render offscreen so a
    // benchmark runs on a machine without a display. serve/fetch stay plain console processes.
    const bool plots = argc > 1
            && (std::strcmp(argv[1], "transfer") == 0 || std::strcmp(argv[1], "concurrency") == 0
                || std::strcmp(argv[1], "swarm") == 0 || std::strcmp(argv[1], "chat") == 0);
    if (plots && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> app;
    if (plots)
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"hopshare-bench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOPSHARE_VERSION));

    const QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args.at(1) : QString();
    if (command == u"chat")
        return Bench::runChat(args.mid(1));
    if (command == u"swarm")
        return Bench::runSwarm(args.mid(1));
    const auto handler = Bench::findCommand(command);
    if (!handler) {
        QTextStream(stderr) << Bench::usage();
        return command == u"--help"_s || command == u"-h"_s ? 0 : 2;
    }
    QStringList rest = args;
    rest.removeAt(1);
    return handler(rest);
}
