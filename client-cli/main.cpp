#include <client-cli/cliconfig.h>
#include <client-cli/clisession.h>
#include <client-cli/stdinreader.h>

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"hopshare-cli"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOPSHARE_VERSION));

    QString error;
    const auto config = Cli::parseCommandLine(app, &error);
    if (!config) {
        std::fprintf(stderr, "hopshare-cli: %s\n", qPrintable(error));
        return Cli::CliSession::UsageError;
    }
    // People read standard output and error together in a terminal: the library's progress
    // notes (endpoint port, reflexive address, ...) only with -v. QT_LOGGING_RULES still wins.
    QLoggingCategory::setFilterRules(config->verbose
                                             ? u"hopshare.*.debug=false"_s
                                             : u"hopshare.*.debug=false\nhopshare.*.info=false"_s);
    Cli::CliSession session(*config);
    QObject::connect(&session, &Cli::CliSession::finished, &app, &QCoreApplication::exit);

    Cli::StdinReader stdinReader;
    if (!config->execCommands) {
        QObject::connect(&stdinReader, &Cli::StdinReader::lineRead, &session,
                         &Cli::CliSession::enqueue);
        QObject::connect(&stdinReader, &Cli::StdinReader::endOfInput, &session,
                         &Cli::CliSession::endOfInput);
        stdinReader.start();
    }
    session.start();
    return app.exec();
}
