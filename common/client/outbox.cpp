#include <client/outbox.h>

#include <client/chatmodels.h>
#include <client/clientcore.h>

namespace Client {

Outbox::Outbox(ClientCore *core, ChatModels *models, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_models(models)
{
    connect(core, &ClientCore::joined, this, [this](const QString &room) { flush(room); });
    connect(core, &ClientCore::left, this, [this](const QString &room) { drop(room); });
}

bool Outbox::say(const QString &room, const QString &text, const QStringList &targets)
{
    if (m_core->state() == ClientCore::State::Ready && m_core->rooms().contains(room)) {
        m_core->say(room, text, targets);
        return true;
    }
    const quint32 id = m_nextId++;
    m_lines.append({id, room, text, targets});
    if (MessageListModel *lines = m_models->messages(room))
        lines->appendPending(id, text, !targets.isEmpty());
    Q_EMIT pendingChanged(int(m_lines.size()));
    return false;
}

int Outbox::pendingCount(const QString &room) const
{
    if (room.isEmpty())
        return int(m_lines.size());
    return int(std::count_if(m_lines.cbegin(), m_lines.cend(),
                             [&](const Line &l) { return l.room == room; }));
}

void Outbox::flush(const QString &room)
{
    const qsizetype before = m_lines.size();
    MessageListModel *lines = m_models->messages(room);
    m_lines.removeIf([&](const Line &l) {
        if (l.room != room)
            return false;
        if (lines)
            lines->removePending(l.id); // the server's echo shows it as sent
        m_core->say(l.room, l.text, l.targets);
        return true;
    });
    if (m_lines.size() != before)
        Q_EMIT pendingChanged(int(m_lines.size()));
}

void Outbox::drop(const QString &room)
{
    const int dropped = pendingCount(room);
    if (dropped == 0)
        return;
    MessageListModel *lines = m_models->messages(room);
    m_lines.removeIf([&](const Line &l) {
        if (l.room == room && lines)
            lines->removePending(l.id);
        return l.room == room;
    });
    m_models->addNotice(room, tr("%n unsent line(s) dropped: you left the room.", nullptr, dropped),
                        true);
    Q_EMIT pendingChanged(int(m_lines.size()));
}

} // namespace Client
