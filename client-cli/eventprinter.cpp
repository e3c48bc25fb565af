#include <client-cli/eventprinter.h>

#include <client/terminaltext.h>
#include <crypto/identitykey.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Cli {

namespace {
QJsonObject memberJson(const Protocol::MemberInfo &m)
{
    return QJsonObject {{u"id"_s, m.id},
                        {u"nick"_s, m.nick},
                        {u"ip"_s, m.ip},
                        {u"server"_s, m.server},
                        {u"fingerprint"_s, Crypto::IdentityKey::fingerprintOf(m.key)},
                        {u"key"_s, QString::fromLatin1(m.key.toHex())}};
}
// A member who does not show its address has an empty ip (the JSON keeps it exact).
QString shownAddress(const Protocol::MemberInfo &m)
{
    return m.ip.isEmpty() ? u"hidden"_s : m.ip;
}
QJsonArray membersJson(const QList<Protocol::MemberInfo> &members)
{
    QJsonArray out;
    for (const auto &m : members)
        out.append(memberJson(m));
    return out;
}
QString nickList(const QList<Protocol::MemberInfo> &members)
{
    QStringList nicks;
    for (const auto &m : members)
        nicks.append(m.nick);
    return nicks.join(u", "_s);
}
} // namespace

void EventPrinter::emitJson(const QString &event, QJsonObject object)
{
    object.insert(u"event"_s, event);
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void EventPrinter::emitLine(const QString &line)
{
    // Every human line holds text from the network (nicks, rooms, messages, file names, error
    // texts): none of it may steer the terminal. The JSON output stays exact.
    const QByteArray bytes = Client::escapeForTerminal(line).toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void EventPrinter::connected(const QString &server, const QString &id, const QString &nick,
                             const QString &address)
{
    if (m_json)
        emitJson(
                u"connected"_s,
                {{u"server"_s, server}, {u"id"_s, id}, {u"nick"_s, nick}, {u"address"_s, address}});
    else
        emitLine(u"* connected to %1 as %2 (%3)"_s.arg(server, nick, address));
}

void EventPrinter::connectionFailed(const QString &reason)
{
    if (m_json)
        emitJson(u"connection-failed"_s, {{u"reason"_s, reason}});
    else
        emitLine(u"* cannot connect: %1"_s.arg(reason));
}

void EventPrinter::disconnected(const QString &reason)
{
    if (m_json)
        emitJson(u"disconnected"_s, {{u"reason"_s, reason}});
    else
        emitLine(u"* disconnected: %1"_s.arg(reason));
}

void EventPrinter::joined(const QString &room, const QList<Protocol::MemberInfo> &members)
{
    if (m_json)
        emitJson(u"joined"_s, {{u"room"_s, room}, {u"members"_s, membersJson(members)}});
    else
        emitLine(u"[%1] * you joined; members: %2"_s.arg(room, nickList(members)));
}

void EventPrinter::left(const QString &room)
{
    if (m_json)
        emitJson(u"left"_s, {{u"room"_s, room}});
    else
        emitLine(u"[%1] * you left"_s.arg(room));
}

void EventPrinter::who(const QString &room, const QList<Protocol::MemberInfo> &members)
{
    if (m_json) {
        emitJson(u"who"_s, {{u"room"_s, room}, {u"members"_s, membersJson(members)}});
        return;
    }
    emitLine(u"[%1] %2 member(s):"_s.arg(room).arg(members.size()));
    for (const auto &m : members)
        emitLine(u"  %1  %2  %3  %4  %5"_s.arg(m.nick, -20)
                         .arg(shownAddress(m), -16)
                         .arg(m.server, m.id, Crypto::IdentityKey::fingerprintOf(m.key)));
}

void EventPrinter::memberJoined(const QString &room, const Protocol::MemberInfo &member)
{
    QJsonObject o = memberJson(member);
    o.insert(u"room"_s, room);
    if (m_json)
        emitJson(u"member-joined"_s, o);
    else
        emitLine(u"[%1] * %2 joined (%3 on %4)"_s.arg(room, member.nick, shownAddress(member),
                                                      member.server));
}

void EventPrinter::memberLeft(const QString &room, const Protocol::MemberInfo &member,
                              const QString &reason)
{
    QJsonObject o = memberJson(member);
    o.insert(u"room"_s, room);
    o.insert(u"reason"_s, reason);
    if (m_json)
        emitJson(u"member-left"_s, o);
    else
        emitLine(u"[%1] * %2 left (%3)"_s.arg(room, member.nick, reason));
}

void EventPrinter::message(const Protocol::ChatMessage &m)
{
    if (m_json) {
        emitJson(u"message"_s,
                 {{u"room"_s, m.room},
                  {u"from"_s, m.from.nick},
                  {u"from_id"_s, m.from.id},
                  {u"from_ip"_s, m.from.ip},
                  {u"to"_s, QJsonArray::fromStringList(m.targets)},
                  {u"private"_s, !m.targets.isEmpty()},
                  {u"text"_s, m.text},
                  {u"time"_s, m.time}});
        return;
    }
    const QString time = QDateTime::fromMSecsSinceEpoch(m.time).toString(u"HH:mm:ss"_s);
    emitLine(u"[%1] %2 <%3>%4 %5"_s.arg(m.room, time, m.from.nick,
                                        m.targets.isEmpty() ? QString() : u" (private)"_s, m.text));
}

void EventPrinter::pong(const QString &server, double rttMs, int hops)
{
    if (m_json)
        emitJson(u"pong"_s, {{u"server"_s, server}, {u"rtt_ms"_s, rttMs}, {u"hops"_s, hops}});
    else
        emitLine(u"* pong from %1: %2 ms, %3 hop(s)"_s.arg(server).arg(rttMs, 0, 'f', 3).arg(hops));
}

void EventPrinter::keyChanged(const QString &room, const Protocol::MemberInfo &member,
                              const QString &oldFingerprint, const QString &newFingerprint)
{
    if (m_json) {
        emitJson(u"key-changed"_s,
                 {{u"room"_s, room},
                  {u"nick"_s, member.nick},
                  {u"id"_s, member.id},
                  {u"old_fingerprint"_s, oldFingerprint},
                  {u"new_fingerprint"_s, newFingerprint}});
        return;
    }
    emitLine(u"! key changed for %1: %2 -> %3"_s.arg(member.nick, oldFingerprint, newFingerprint));
    emitLine(u"[%1] ! %2 may not be who you talked to before; 'trust %2' accepts the new key"_s.arg(
            room, member.nick));
}

void EventPrinter::keyTrusted(const QString &nick, const QString &fingerprint)
{
    if (m_json)
        emitJson(u"key-trusted"_s, {{u"nick"_s, nick}, {u"fingerprint"_s, fingerprint}});
    else
        emitLine(u"* %1 is now trusted with key %2"_s.arg(nick, fingerprint));
}

void EventPrinter::servers(const QList<Client::ServerCandidate> &ranked)
{
    QJsonArray list;
    QStringList lines;
    for (const Client::ServerCandidate &c : ranked) {
        QJsonObject o {{u"address"_s, c.address()}, {u"name"_s, c.name}};
        o.insert(u"rtt_ms"_s, c.rttMs >= 0 ? QJsonValue(c.rttMs) : QJsonValue());
        if (!c.error.isEmpty())
            o.insert(u"error"_s, c.error);
        list.append(o);
        lines.append(c.rttMs >= 0
                             ? u"%1 (%2) %3 ms"_s.arg(c.address(), c.name).arg(c.rttMs, 0, 'f', 3)
                             : u"%1 unreachable: %2"_s.arg(c.address(), c.error));
    }
    if (m_json)
        emitJson(u"servers"_s, {{u"servers"_s, list}});
    else
        emitLine(u"* servers: "_s + lines.join(u"; "_s));
}

void EventPrinter::reconnected(const QString &server, const QStringList &rooms)
{
    if (m_json)
        emitJson(u"reconnected"_s,
                 {{u"server"_s, server}, {u"rooms"_s, QJsonArray::fromStringList(rooms)}});
    else
        emitLine(u"* reconnected to %1, rejoining %2"_s.arg(server, rooms.join(u", "_s)));
}

void EventPrinter::error(const QString &code, const QString &text, const QString &ref,
                         const QString &room)
{
    if (m_json) {
        QJsonObject o {{u"code"_s, code}, {u"text"_s, text}};
        if (!ref.isEmpty())
            o.insert(u"ref"_s, ref);
        if (!room.isEmpty())
            o.insert(u"room"_s, room);
        emitJson(u"error"_s, o);
        return;
    }
    emitLine(room.isEmpty() ? u"! error (%1): %2"_s.arg(code, text)
                            : u"[%3] ! error (%1): %2"_s.arg(code, text, room));
}

void EventPrinter::info(const QString &text)
{
    if (m_json)
        return;
    for (const QString &line : text.split(u'\n')) // help text: our own lines, one by one
        emitLine(line);
}

void EventPrinter::event(const QString &name, const QJsonObject &json, const QString &line)
{
    if (m_json)
        emitJson(name, json);
    else
        emitLine(line);
}

} // namespace Cli
