#include "fileactions.h"

#include <client/chatmodels.h>
#include <client/clientcore.h>

namespace Gui {

FileActions::FileActions(Client::ClientCore *core, Client::ChatModels *models, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_models(models)
{ }

bool FileActions::available() const
{
    return false;
}

void FileActions::refuse(const QString &room)
{
    const QString text = tr("File sharing is not available with this version of the client core.");
    if (!room.isEmpty())
        m_models->addNotice(room, text, true);
    Q_EMIT unavailable(text);
}

void FileActions::share(const QString &room, const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    refuse(room);
}

void FileActions::find(const QString &room, const QString &)
{
    refuse(room);
}

void FileActions::download(const QString &)
{
    refuse({});
}

void FileActions::downloadBest(const QString &, const QString &)
{
    refuse({});
}

void FileActions::pause(const QString &)
{
    refuse({});
}

void FileActions::resume(const QString &)
{
    refuse({});
}

void FileActions::cancel(const QString &)
{
    refuse({});
}

} // namespace Gui
