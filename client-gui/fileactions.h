#pragma once

#include <QObject>
#include <QStringList>

namespace Client {
class ClientCore;
class ChatModels;
class OfferModel;
class RateHistory;
class TransferListModel;
} // namespace Client

namespace Gui {

class GuiSettings;

// The one place where the desktop client asks ClientCore to move files (share, find,
// download, pause, resume, cancel) and where ClientCore's file signals reach the models
// (offers, transfers, the rate history, share announcements in the rooms).
class FileActions : public QObject
{
    Q_OBJECT
public:
    struct Models
    {
        Client::ChatModels *chat = nullptr;
        Client::OfferModel *offers = nullptr;
        Client::TransferListModel *transfers = nullptr;
        Client::RateHistory *rates = nullptr;
    };

    FileActions(Client::ClientCore *core, Models models, QObject *parent = nullptr);

    // Download folder, upload slots and rate cap, transfer mode and test conditions.
    void applySettings(const GuiSettings &settings);

public Q_SLOTS:
    void share(const QString &room, const QStringList &paths);
    void find(const QString &room, const QString &pattern);
    void download(const QString &offerId);
    void downloadBest(const QString &sha256, const QString &fileName);
    void pause(const QString &transferId);
    void resume(const QString &transferId);
    void cancel(const QString &transferId);

Q_SIGNALS:
    // Something to tell the person in the status bar.
    void message(const QString &text);

private:
    void connectSignals();

    Client::ClientCore *m_core;
    Models m_models;
};

} // namespace Gui
