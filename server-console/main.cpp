#include "chatserver.h"
#include "filelimit.h"
#include "logging.h"
#include "serverconfig.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"hopshare-server"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOPSHARE_VERSION));
    qSetMessagePattern(u"%{time yyyy-MM-dd hh:mm:ss.zzz} %{category} %{type}: %{message}"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Hopshare server: hosts chat rooms."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    Server::ServerConfig::addOptions(parser);
    parser.process(app);

    QString error;
    const auto config = Server::ServerConfig::fromParser(parser, &error);
    if (!config) {
        std::fprintf(stderr, "hopshare-server: %s\n", qPrintable(error));
        return 2;
    }
    Server::raiseFileLimit(); // one descriptor per client
    Server::ChatServer server(*config);
    if (!config->plain) {
        // A bad, unreadable or mismatched certificate is a configuration error, like a bad flag.
        auto tls = Server::TlsCredentials::forConfig(*config, &error);
        if (!tls) {
            std::fprintf(stderr, "hopshare-server: %s\n", qPrintable(error));
            return 2;
        }
        server.setTlsCredentials(std::move(*tls));
    }
    if (!server.start(&error)) {
        std::fprintf(stderr, "hopshare-server: %s\n", qPrintable(error));
        return 1;
    }
    Server::UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &Server::UnixSignalWatcher::terminationRequested, &server,
                     [&server](int number) {
                         qCInfo(lcServer) << "signal" << number << "received";
                         server.shutdown(u"server is shutting down"_s);
                     });
    QObject::connect(&server, &Server::ChatServer::stopped, &app, &QCoreApplication::quit);
    return app.exec();
}
