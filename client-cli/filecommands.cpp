#include <client-cli/filecommands.h>

#include <client/clientcore.h>
#include <client/filesharing.h>
#include <share/shareindex.h>

#include <QFileInfo>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Cli {

namespace {
using State = Client::TransferInfo::State;

QString stateName(State s)
{
    switch (s) {
    case State::Queued:
        return u"queued"_s;
    case State::Requesting:
        return u"requesting"_s;
    case State::Refused:
        return u"refused"_s;
    case State::Connecting:
        return u"connecting"_s;
    case State::Transferring:
        return u"transferring"_s;
    case State::Verifying:
        return u"verifying"_s;
    case State::Paused:
        return u"paused"_s;
    case State::Done:
        return u"done"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Cancelled:
        return u"cancelled"_s;
    }
    return u"unknown"_s;
}

// " via direct-lan" once the network path is known.
QString via(const Client::TransferInfo &t)
{
    return t.path.isEmpty() ? QString() : u" via "_s + t.path;
}

QJsonObject transferJson(const Client::TransferInfo &t)
{
    QJsonObject o {
            {u"id"_s, t.id},
            {u"direction"_s,
             t.direction == Client::TransferInfo::Direction::Upload ? u"upload"_s : u"download"_s},
            {u"state"_s, stateName(t.state)},
            {u"file"_s, t.fileName},
            {u"local"_s, t.localPath},
            {u"peer"_s, t.peerNick},
            {u"peerId"_s, t.peerId},
            {u"size"_s, t.size},
            {u"bytes"_s, t.bytesDone},
            {u"rate"_s, t.rateBytesPerSecond},
            {u"sha256"_s, t.sha256},
    };
    if (!t.path.isEmpty())
        o.insert(u"path"_s, t.path); // direct-lan, direct-punched or relayed (docs/NAT.md)
    return o;
}
} // namespace

FileCommands::FileCommands(Client::ClientCore *core, EventPrinter *printer, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_files(core->files())
    , m_printer(printer)
{
    m_waitDeadline.setSingleShot(true);
    connect(&m_waitDeadline, &QTimer::timeout, this, [this] {
        if (!m_waiting)
            return;
        m_printer->event(u"wait-timeout"_s, {}, u"* wait: transfers still running"_s);
        m_waiting = false;
        Q_EMIT waitEnded();
    });
    connectSignals();
}

bool FileCommands::configure(const CliConfig &config)
{
    Client::FileSharing::Settings s = m_files->settings();
    s.downloadsDir = config.downloads;
    s.maxUploads = config.maxUploads;
    s.impairment = config.impairment;
    s.forceRelay = config.forceRelay;
    s.punchTimeout = std::chrono::milliseconds(config.punchTimeoutMs);
    m_files->setSettings(s);
    QString error;
    if (!m_files->start(&error)) {
        m_printer->error(u"udp-bind"_s, error);
        return false;
    }
    for (const QString &path : config.shares) {
        if (!m_files->share(path)) {
            m_printer->error(u"share"_s, u"cannot share '%1'"_s.arg(path));
            return false;
        }
    }
    return true;
}

void FileCommands::connectSignals()
{
    using Client::FileSharing;
    connect(m_files, &FileSharing::offerReceived, this, &FileCommands::onOffer);
    connect(m_files, &FileSharing::transferUpdated, this, &FileCommands::onUpdated);
    connect(m_files, &FileSharing::transferStarted, this, [this](const Client::TransferInfo &t) {
        const bool up = t.direction == Client::TransferInfo::Direction::Upload;
        m_printer->event(u"transfer-started"_s, transferJson(t),
                         u"* %1: %2 %3 %4%5"_s.arg(t.id, t.fileName, up ? u"to"_s : u"from"_s,
                                                   t.peerNick, via(t)));
    });
    connect(m_files, &FileSharing::transferRefused, this,
            [this](const Client::TransferInfo &t, const QString &peer, const QString &reason) {
                QJsonObject o = transferJson(t);
                o.insert(u"peer"_s, peer);
                o.insert(u"reason"_s, reason);
                m_printer->event(
                        u"transfer-refused"_s, o,
                        u"* %1: %2 refused (%3); trying the next source"_s.arg(t.id, peer, reason));
            });
    connect(m_files, &FileSharing::shareAnnounced, this,
            [this](const QString &room, const QString &name, qint64 size, const QString &sha,
                   const QString &from) {
                m_printer->event(u"share-announced"_s,
                                 {{u"room"_s, room},
                                  {u"file"_s, name},
                                  {u"size"_s, size},
                                  {u"sha256"_s, sha},
                                  {u"from"_s, from}},
                                 u"[%1] %2 shares %3 (%4 bytes)"_s.arg(room, from, name).arg(size));
            });
    connect(m_files->index(), &Share::ShareIndex::scanFinished, this, [this] {
        m_printer->event(u"shared"_s, {{u"files"_s, m_files->index()->fileCount()}},
                         u"* sharing %1 files"_s.arg(m_files->index()->fileCount()));
    });
}

void FileCommands::onOffer(const Client::OfferInfo &o)
{
    if (!m_groups.contains(o.sha256))
        m_groups.insert(o.sha256, int(m_groups.size()) + 1);
    const int group = m_groups.value(o.sha256);
    m_printer->event(u"offer"_s,
                     {{u"offer"_s, o.offerId},
                      {u"request"_s, o.requestId},
                      {u"room"_s, o.room},
                      {u"file"_s, o.fileName},
                      {u"size"_s, o.size},
                      {u"sha256"_s, o.sha256},
                      {u"group"_s, group},
                      {u"peer"_s, o.peerNick},
                      {u"peerId"_s, o.peerId},
                      {u"slots"_s, o.freeSlots},
                      {u"late"_s, o.late}},
                     u"%1  #%2 %3  %4 bytes  from %5 (%6 free)%7"_s.arg(o.offerId)
                             .arg(group)
                             .arg(o.fileName)
                             .arg(o.size)
                             .arg(o.peerNick)
                             .arg(o.freeSlots)
                             .arg(o.late ? u" late"_s : QString()));
}

void FileCommands::onUpdated(const Client::TransferInfo &t)
{
    const bool changed = m_lastState.value(t.id, State(-1)) != t.state;
    m_lastState.insert(t.id, t.state);
    QJsonObject o = transferJson(t);
    if (t.state == State::Done && changed) {
        const double seconds = t.started.isValid() && t.finished.isValid()
                ? double(t.started.msecsTo(t.finished)) / 1000.0
                : 0;
        o.insert(u"seconds"_s, seconds);
        o.insert(u"goodput"_s, seconds > 0 ? double(t.size) / seconds : 0);
        o.insert(u"verified"_s, t.verified);
        m_printer->event(
                u"transfer-done"_s, o,
                u"* %1: %2 done, %3 bytes in %4 s, SHA-256 %5%6"_s.arg(t.id, t.fileName)
                        .arg(t.size)
                        .arg(seconds, 0, 'f', 2)
                        .arg(t.verified || t.direction == Client::TransferInfo::Direction::Upload
                                     ? u"verified"_s
                                     : u"NOT verified"_s)
                        .arg(via(t)));
    } else if ((t.state == State::Failed || t.state == State::Cancelled) && changed) {
        o.insert(u"reason"_s, t.error.isEmpty() ? stateName(t.state) : t.error);
        m_printer->event(u"transfer-failed"_s, o,
                         u"* %1: %2 failed: %3%4"_s.arg(t.id, t.fileName, t.error, via(t)));
    } else if (t.state == State::Transferring && !changed) {
        m_printer->event(u"transfer-progress"_s, o,
                         u"* %1: %2 %3/%4 bytes, %5 KiB/s%6"_s.arg(t.id, t.fileName)
                                 .arg(t.bytesDone)
                                 .arg(t.size)
                                 .arg(t.rateBytesPerSecond / 1024, 0, 'f', 0)
                                 .arg(via(t)));
    } else if (t.state == State::Queued && changed && !t.error.isEmpty()) {
        m_printer->event(u"transfer-waiting"_s, o, u"* %1: %2"_s.arg(t.id, t.error));
    }
    checkWait();
}

bool FileCommands::execute(const Client::Command::Command &command, const QString &room,
                           QString *error)
{
    namespace C = Client::Command;
    if (const auto *c = std::get_if<C::Share>(&command)) {
        // A single file is also announced to the current room; folders are found by "find".
        const bool ok = !room.isEmpty() && QFileInfo(c->path).isFile()
                ? m_files->shareAndAnnounce(room, c->path)
                : m_files->share(c->path);
        if (!ok)
            return *error = u"cannot share '%1'"_s.arg(c->path), false;
    } else if (const auto *c = std::get_if<C::Find>(&command)) {
        if (room.isEmpty())
            return *error = u"join a room first"_s, false;
        m_files->find(room, c->pattern, c->target);
    } else if (const auto *c = std::get_if<C::Get>(&command)) {
        // Scripts are not asked (the desktop asks): they are told, and the download goes on.
        const std::optional<Client::OfferInfo> offer = m_files->offerFor(c->what);
        const QString existing = offer ? m_files->existingCopyOf(offer->sha256) : QString();
        const QString id = m_files->downloadFor(c->what);
        if (id.isEmpty())
            return *error = u"no offer matches '%1' (find it first)"_s.arg(c->what), false;
        if (!existing.isEmpty())
            m_printer->event(
                    u"existing-copy"_s, {{u"id"_s, id}, {u"local"_s, existing}},
                    u"* %1: a copy is already here, %2; downloading it again"_s.arg(id, existing));
    } else if (std::holds_alternative<C::Transfers>(command)) {
        printTransfers();
    } else if (const auto *c = std::get_if<C::Cancel>(&command)) {
        m_files->cancelTransfer(c->id);
    } else if (const auto *c = std::get_if<C::Wait>(&command)) {
        startWait(c->seconds);
    }
    return true;
}

void FileCommands::startWait(double seconds)
{
    m_waiting = true;
    if (seconds > 0)
        m_waitDeadline.start(int(seconds * 1000));
    // Let queued signals (a get just sent) register before deciding nothing runs.
    QTimer::singleShot(0, this, &FileCommands::checkWait);
}

void FileCommands::checkWait()
{
    if (!m_waiting || m_files->hasActiveTransfers())
        return;
    m_waiting = false;
    m_waitDeadline.stop();
    Q_EMIT waitEnded();
}

void FileCommands::printTransfers()
{
    const auto all = m_files->transfers();
    for (const auto &t : all) {
        m_printer->event(u"transfer"_s, transferJson(t),
                         u"%1  %2  %3  %4  %5/%6 bytes  %7 KiB/s%8"_s
                                 .arg(t.id, stateName(t.state), t.fileName, t.peerNick)
                                 .arg(t.bytesDone)
                                 .arg(t.size)
                                 .arg(t.rateBytesPerSecond / 1024, 0, 'f', 0)
                                 .arg(via(t)));
    }
    if (all.isEmpty())
        m_printer->info(u"no transfers"_s);
}

} // namespace Cli
