#include <server-console/chat/chatserver.h>
#include <server-console/filelimit.h>
#include <server-console/heaptrimmer.h>
#include <server-console/serverconfig.h>
#include <server-console/serverlogging.h>
#include <server-console/unixsignalwatcher.h>

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // Qt's glib event dispatcher scans a list of every socket notifier each time one is
    // switched off (after each completed write), which at thousands of clients made each write
    // O(clients); Qt's own poll() dispatcher keeps them in a hash. Set before the application
    // object exists, which picks the dispatcher; an explicit QT_NO_GLIB=0 is respected.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
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
    Server::HeapTrimmer heapTrimmer;
    return app.exec();
}
