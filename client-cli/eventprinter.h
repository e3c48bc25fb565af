#pragma once

#include <client/serverselector.h>
#include <protocol/messages.h>

#include <QJsonObject>
#include <QString>

namespace Cli {

// Writes client events to standard output: one JSON object per line (--json), or lines for
// people. Every JSON object has an "event" key.
class EventPrinter
{
public:
    explicit EventPrinter(bool json)
        : m_json(json)
    { }

    void connected(const QString &server, const QString &id, const QString &nick,
                   const QString &address);
    void connectionFailed(const QString &reason);
    void disconnected(const QString &reason);
    void joined(const QString &room, const QList<Protocol::MemberInfo> &members);
    void left(const QString &room);
    void who(const QString &room, const QList<Protocol::MemberInfo> &members);
    void memberJoined(const QString &room, const Protocol::MemberInfo &member);
    void memberLeft(const QString &room, const Protocol::MemberInfo &member, const QString &reason);
    void message(const Protocol::ChatMessage &message);
    void pong(const QString &server, double rttMs, int hops);
    // A member's key is not the one trusted for its nick (ClientCore::memberKeyChanged).
    void keyChanged(const QString &room, const Protocol::MemberInfo &member,
                    const QString &oldFingerprint, const QString &newFingerprint);
    void keyTrusted(const QString &nick, const QString &fingerprint);
    // Closest-server choice: each candidate with its round trip (null when unreachable).
    void servers(const QList<Client::ServerCandidate> &ranked);
    void reconnected(const QString &server, const QStringList &rooms);
    void error(const QString &code, const QString &text, const QString &ref = {},
               const QString &room = {});
    void info(const QString &text); // help and notes, for people only
    // An event whose JSON and human forms the caller built (the file events).
    void event(const QString &name, const QJsonObject &json, const QString &line);

private:
    void emitJson(const QString &event, QJsonObject object);
    void emitLine(const QString &line);

    bool m_json;
};

} // namespace Cli
