#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

namespace Client {

class ChatModels;
class ClientCore;

// Chat lines on their way out. A line for a room the core is in right now is sent at once;
// a line typed while the connection is down (or before the room is rejoined) is kept, shown in
// the room as pending, and sent when the room is joined again, in the order typed. Nothing
// typed is dropped silently: leaving the room drops its queue with a notice.
class Outbox : public QObject
{
    Q_OBJECT
public:
    Outbox(ClientCore *core, ChatModels *models, QObject *parent = nullptr);

    // Sends or queues; true when sent now.
    bool say(const QString &room, const QString &text, const QStringList &targets = {});
    [[nodiscard]] int pendingCount(const QString &room = {}) const;

Q_SIGNALS:
    void pendingChanged(int count);

private:
    struct Line
    {
        quint32 id = 0;
        QString room;
        QString text;
        QStringList targets;
    };
    void flush(const QString &room);
    void drop(const QString &room);

    ClientCore *m_core;
    ChatModels *m_models;
    QList<Line> m_lines; // oldest first
    quint32 m_nextId = 1;
};

} // namespace Client
