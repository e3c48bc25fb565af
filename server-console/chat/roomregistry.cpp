#include <server-console/chat/roomregistry.h>

#include <server-console/chat/clientsession.h>

#include <protocol/memberlistcodec.h>
#include <protocol/names.h>

#include <QHostAddress>

#include <algorithm>

namespace Server {

bool RoomRegistry::nickAvailable(const QString &room, const QString &nick) const
{
    const auto it = m_rooms.constFind(room);
    return it == m_rooms.cend() || !it->seqByNick.contains(Protocol::nickKey(nick));
}

void RoomRegistry::join(const QString &room, const RoomMember &member)
{
    Room &r = m_rooms[room];
    if (r.seqById.contains(member.info.id))
        return;
    const quint64 seq = r.nextSeq++;
    r.bySeq.emplace(seq, member);
    r.seqById.insert(member.info.id, seq);
    r.seqByNick.insert(Protocol::nickKey(member.info.nick), seq);
    if (member.isLocal())
        ++r.localCount;
    r.changed();
    if (r.encoded)
        r.appendEncoded(Protocol::encodeMemberEntry(member.info));
}

void RoomRegistry::Room::appendEncoded(const QByteArray &entry) const
{
    QList<QByteArray> &chunks = *encoded;
    if (chunks.isEmpty() || chunks.constLast().size() + entry.size() > kEncodedChunkBytes)
        chunks.append(QByteArray());
    chunks.last().append(entry);
}

void RoomRegistry::leave(const QString &room, const QString &id)
{
    auto it = m_rooms.find(room);
    if (it == m_rooms.end())
        return;
    const auto seq = it->seqById.constFind(id);
    if (seq == it->seqById.cend())
        return;
    const auto member = it->bySeq.find(*seq);
    if (member != it->bySeq.end()) {
        it->seqByNick.remove(Protocol::nickKey(member->second.info.nick), *seq);
        if (member->second.isLocal())
            --it->localCount;
        it->bySeq.erase(member);
    }
    it->seqById.erase(seq);
    it->changed();
    it->encoded.reset();
    if (it->bySeq.empty()) {
        m_rooms.erase(it);
        m_locks.remove(room); // a room nobody is in is forgotten with its password
    }
}

bool RoomRegistry::hasLocalMembers(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it != m_rooms.cend() && it->localCount > 0;
}

bool RoomRegistry::contains(const QString &room, const QString &id) const
{
    const auto it = m_rooms.constFind(room);
    return it != m_rooms.cend() && it->seqById.contains(id);
}

void RoomRegistry::setLock(const QString &room, const Crypto::RoomLock &lock)
{
    if (lock.isLocked() && m_rooms.contains(room))
        m_locks.insert(room, lock);
    else
        m_locks.remove(room);
}

const QList<RoomMember> RoomRegistry::members(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return {};
    if (!it->members) {
        QList<RoomMember> out;
        out.reserve(qsizetype(it->bySeq.size()));
        for (const auto &entry : it->bySeq)
            out.append(entry.second);
        it->members = std::move(out);
    }
    return *it->members;
}

const QList<Protocol::MemberInfo> RoomRegistry::remoteMembers(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return {};
    if (!it->remotes) {
        QList<Protocol::MemberInfo> out;
        if (qsizetype(it->localCount) < qsizetype(it->bySeq.size())) {
            out.reserve(qsizetype(it->bySeq.size()) - it->localCount);
            for (const auto &entry : it->bySeq) {
                if (!entry.second.session)
                    out.append(entry.second.info);
            }
        }
        it->remotes = std::move(out);
    }
    return *it->remotes;
}

const QList<ClientSession *> RoomRegistry::localSessions(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return {};
    if (!it->locals) {
        QList<ClientSession *> out;
        out.reserve(it->localCount);
        for (const auto &entry : it->bySeq) {
            if (entry.second.session)
                out.append(entry.second.session);
        }
        it->locals = std::move(out);
    }
    return *it->locals;
}

QList<QByteArray> RoomRegistry::encodedMembers(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return {};
    if (!it->encoded) {
        it->encoded.emplace();
        for (const auto &entry : it->bySeq)
            it->appendEncoded(Protocol::encodeMemberEntry(entry.second.info));
    }
    return *it->encoded;
}

qsizetype RoomRegistry::memberCount(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it == m_rooms.cend() ? 0 : qsizetype(it->bySeq.size());
}

int RoomRegistry::localCount(const QString &room) const
{
    const auto it = m_rooms.constFind(room);
    return it == m_rooms.cend() ? 0 : it->localCount;
}

QList<RoomMember> RoomRegistry::resolve(const QString &room, const QString &target) const
{
    QList<RoomMember> out;
    const auto it = m_rooms.constFind(room);
    if (it == m_rooms.cend())
        return out;
    const auto memberAt = [&](quint64 seq) {
        const auto found = it->bySeq.find(seq);
        if (found != it->bySeq.end())
            out.append(found->second);
    };
    if (target.contains(u'/')) { // ids are "server/n"; nicks have no '/'
        if (const auto seq = it->seqById.constFind(target); seq != it->seqById.cend())
            memberAt(*seq);
        return out;
    }
    const QHostAddress asAddress(target);
    if (asAddress.isNull()) {
        QList<quint64> seqs = it->seqByNick.values(Protocol::nickKey(target));
        std::sort(seqs.begin(), seqs.end()); // join order, as before
        for (quint64 seq : std::as_const(seqs))
            memberAt(seq);
        return out;
    }
    // By address: rare, and a linear scan of one room per request.
    for (const auto &entry : it->bySeq) {
        const Protocol::MemberInfo &info = entry.second.info;
        if (!info.ip.isEmpty() && QHostAddress(info.ip).isEqual(asAddress))
            out.append(entry.second);
    }
    return out;
}

} // namespace Server
