#pragma once

// A desktop client (ClientCore, settings, main window) for tests against a server in the same
// process, and the files such tests share.
#include <tests/client-gui/guitestutil.h>

#include <client-gui/guisettings.h>
#include <client-gui/mainwindow.h>

#include <client/clientcore.h>
#include <client/messagelistmodel.h>

#include <QFile>
#include <QRandomGenerator>
#include <QStringBuilder>

#include <memory>

struct GuiDesktop
{
    Client::ClientCore core;
    Gui::GuiSettings settings;
    Gui::MainWindow window;
    explicit GuiDesktop(const QString &ini)
        : settings(ini)
        , window(&core, &settings)
    { }

    // `nick`'s window, with settings and a download folder of its own in `dir`, connecting to
    // the server on `port` and joining "lobby".
    static std::unique_ptr<GuiDesktop> open(const QTemporaryDir &dir, quint16 port,
                                            const QString &nick, int uploadLimitKiB = 0)
    {
        const QString ini = dir.filePath(nick % QStringLiteral(".ini"));
        {
            Gui::GuiSettings prepared(ini);
            const QString downloads = dir.filePath(nick % QStringLiteral("-downloads"));
            QDir().mkpath(downloads);
            prepared.setDownloadFolder(downloads);
            prepared.setKnownServersFile(testTlsSettings().knownServersFile);
            prepared.setUploadRateLimitKiB(uploadLimitKiB);
        }
        auto d = std::make_unique<GuiDesktop>(ini);
        d->window.resize(1000, 640);
        d->window.show();
        d->window.connectTo(QStringLiteral("127.0.0.1"), port, nick, {QStringLiteral("lobby")});
        return d;
    }
};

inline QByteArray randomTestBytes(qsizetype size, quint32 seed)
{
    QByteArray content(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    for (char &c : content)
        c = char(gen.generate() & 0xff);
    return content;
}

// Writes `content` as dir/sub/name; its path, or empty when it cannot be written.
inline QString writeTestFile(const QTemporaryDir &dir, const QString &sub, const QString &name,
                             const QByteArray &content)
{
    const QString folder = dir.filePath(sub);
    QFile file(folder + QLatin1Char('/') + name);
    if (!QDir().mkpath(folder) || !file.open(QIODevice::WriteOnly)
        || file.write(content) != content.size())
        return {};
    return file.fileName();
}

inline bool hasTestLine(Client::MessageListModel *model, Client::MessageListModel::Kind kind,
                        const QString &text)
{
    for (int i = 0; i < model->rowCount(); ++i) {
        const auto &e = model->entry(i);
        if (e.kind == kind && e.text.contains(text))
            return true;
    }
    return false;
}
