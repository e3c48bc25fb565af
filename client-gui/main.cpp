#include <client-gui/connectdialog.h>
#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>
#include <client-gui/translations.h>

#include <client/clientcore.h>
#include <client/profile.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace {

struct Options
{
    QStringList servers;
    QString nick;
    QStringList rooms;
    QString language;
    QString settingsFile;
    QString identityFile;
};

Options parseOptions(const QApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
            "main", "Hopshare desktop client: chat rooms that move files."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(
            u"server"_s,
            QCoreApplication::translate(
                    "main",
                    "Server to connect to (repeatable: the closest is used, the others "
                    "are where the client fails over to)."),
            u"host:port"_s);
    const QCommandLineOption nick(u"nick"_s, QCoreApplication::translate("main", "Nick to use."),
                                  u"nick"_s);
    const QCommandLineOption room(u"room"_s,
                                  QCoreApplication::translate("main", "Room to join (repeatable)."),
                                  u"room"_s);
    const QCommandLineOption lang(
            u"lang"_s, QCoreApplication::translate("main", "Language (de, en)."), u"language"_s);
    const QCommandLineOption settings(
            u"settings"_s,
            QCoreApplication::translate("main", "Settings file (INI) instead of the default."),
            u"file"_s);
    const QCommandLineOption identity(
            u"identity"_s,
            QCoreApplication::translate("main",
                                        "Identity key file (PEM), made on first use. Default: "
                                        "beside the --settings file, else in the data folder."),
            u"file"_s);
    parser.addOptions({server, nick, room, lang, settings, identity});
    parser.process(app);
    return {parser.values(server), parser.value(nick),     parser.values(room),
            parser.value(lang),    parser.value(settings), parser.value(identity)};
}

// --identity wins; a profile with its own settings file has its own identity beside it
// ("alice.ini" -> "alice.identity.pem"), so two clients on one machine are two people.
Client::ProfilePaths profilePaths(const Options &options)
{
    if (!options.identityFile.isEmpty())
        return Client::ProfilePaths::forIdentity(options.identityFile);
    if (!options.settingsFile.isEmpty()) {
        const QFileInfo ini(options.settingsFile);
        return Client::ProfilePaths::forIdentity(ini.absolutePath() + u'/' + ini.completeBaseName()
                                                 + u".identity.pem"_s);
    }
    return Client::ProfilePaths::standard();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"Hopshare"_s);
    QCoreApplication::setApplicationName(u"hopshare"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(HOPSHARE_VERSION));
    QApplication::setDesktopFileName(u"hopshare"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/hopshare.svg"_s));

    const Options options = parseOptions(app);
    std::unique_ptr<Gui::GuiSettings> settings = options.settingsFile.isEmpty()
            ? std::make_unique<Gui::GuiSettings>()
            : std::make_unique<Gui::GuiSettings>(options.settingsFile);
    Gui::installTranslations(&app,
                             options.language.isEmpty() ? settings->language() : options.language);

    QString nick = options.nick.isEmpty() ? settings->nick() : options.nick;
    QStringList rooms = options.rooms.isEmpty() ? settings->rooms() : options.rooms;
    QList<Client::ServerCandidate> servers;
    bool measured = false;
    // --server and --nick together skip the dialog; anything missing is asked for.
    if (options.servers.isEmpty() || nick.isEmpty()) {
        Gui::ConnectDialog dialog(settings.get());
        if (dialog.exec() != QDialog::Accepted)
            return 0;
        servers = dialog.servers();
        nick = dialog.nick();
        rooms = dialog.rooms();
        measured = true;
    } else {
        for (const QString &entry : options.servers) {
            Client::ServerCandidate c;
            if (!Gui::GuiSettings::parseServer(entry, &c.host, &c.port)) {
                QMessageBox::critical(nullptr, QCoreApplication::translate("main", "Hopshare"),
                                      QCoreApplication::translate(
                                              "main", "'%1' is not a server address (host:port).")
                                              .arg(entry));
                return 2;
            }
            servers.append(c);
        }
    }

    Client::ClientCore core;
    QString identityError;
    if (!Client::loadProfile(core, profilePaths(options), &identityError)) {
        QMessageBox::critical(nullptr, QCoreApplication::translate("main", "Hopshare"),
                              QCoreApplication::translate("main", "Cannot use your identity: %1")
                                      .arg(identityError));
        return 2;
    }
    Gui::MainWindow window(&core, settings.get());
    window.show();
    if (measured)
        window.connectInOrder(servers, nick, rooms);
    else
        window.connectTo(servers, nick, rooms);
    return app.exec();
}
