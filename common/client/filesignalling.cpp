#include <client/filesignalling.h>

#include <share/sharedfile.h>

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace Client::FileSignal {

namespace {

bool isIdText(const QString &s)
{
    if (s.isEmpty() || s.size() > MaxIdLength)
        return false;
    for (QChar c : s) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_')
            return false;
    }
    return true;
}

std::optional<QString> text(const QCborMap &m, QLatin1StringView key, qsizetype maxLength)
{
    const QCborValue v = m.value(key);
    if (!v.isString())
        return std::nullopt;
    QString s = v.toString();
    if (s.size() > maxLength)
        return std::nullopt;
    return s;
}

std::optional<QString> id(const QCborMap &m, QLatin1StringView key)
{
    auto s = text(m, key, MaxIdLength);
    if (!s || !isIdText(*s))
        return std::nullopt;
    return s;
}

std::optional<qint64> integer(const QCborMap &m, QLatin1StringView key, qint64 lo, qint64 hi)
{
    const QCborValue v = m.value(key);
    if (!v.isInteger())
        return std::nullopt;
    const qint64 n = v.toInteger();
    if (n < lo || n > hi)
        return std::nullopt;
    return n;
}

std::optional<QString> sha(const QCborMap &m)
{
    auto s = text(m, "sha256"_L1, 64);
    if (!s || !isSha256Hex(*s))
        return std::nullopt;
    return s;
}

constexpr qint64 kMaxSize = qint64(1) << 50;
constexpr qsizetype kMaxAddressLength = 45; // the longest textual IPv6 address

std::optional<QHostAddress> address(const QCborMap &m, QLatin1StringView key)
{
    auto s = text(m, key, kMaxAddressLength);
    if (!s)
        return std::nullopt;
    QHostAddress a;
    if (!a.setAddress(*s) || a.isNull() || a.isMulticast() || a == QHostAddress::Any
        || a == QHostAddress::AnyIPv4 || a == QHostAddress::AnyIPv6 || a == QHostAddress::Broadcast)
        return std::nullopt;
    return a;
}

QCborArray encodeCandidates(const Candidates &candidates)
{
    QCborArray out;
    for (const auto &c : candidates) {
        if (out.size() >= MaxCandidates || c.kind == Transfer::CandidateKind::Relay
            || c.kind == Transfer::CandidateKind::PeerReflexive)
            continue;
        out.append(QCborMap {
                {u"ip"_s, c.address.toString()},
                {u"port"_s, c.port},
                {u"kind"_s, c.kind == Transfer::CandidateKind::Host ? u"host"_s : u"srflx"_s}});
    }
    return out;
}

// Absent = no candidates; present but malformed in any way = nullopt.
std::optional<Candidates> decodeCandidates(const QCborMap &body, QLatin1StringView key)
{
    const QCborValue v = body.value(key);
    if (v.isUndefined())
        return Candidates {};
    if (!v.isArray() || v.toArray().size() > MaxCandidates)
        return std::nullopt;
    Candidates out;
    for (const QCborValue &item : v.toArray()) {
        if (!item.isMap())
            return std::nullopt;
        const QCborMap m = item.toMap();
        const auto ip = address(m, "ip"_L1);
        const auto port = integer(m, "port"_L1, 1, 65535);
        const auto kind = text(m, "kind"_L1, 8);
        if (!ip || !port || !kind || (*kind != u"host"_s && *kind != u"srflx"_s))
            return std::nullopt;
        out.append({*ip, quint16(*port),
                    *kind == u"host"_s ? Transfer::CandidateKind::Host
                                       : Transfer::CandidateKind::Reflexive});
    }
    return out;
}

// "pk": absent = empty; present = exactly 32 bytes, anything else makes the body invalid.
std::optional<QByteArray> publicKey(const QCborMap &body)
{
    const QCborValue v = body.value(u"pk"_s);
    if (v.isUndefined())
        return QByteArray();
    if (!v.isByteArray() || v.toByteArray().size() != PublicKeySize)
        return std::nullopt;
    return v.toByteArray();
}

void putPublicKey(QCborMap &body, const QByteArray &key)
{
    if (!key.isEmpty())
        body.insert(u"pk"_s, key);
}

} // namespace

bool isSha256Hex(QStringView t)
{
    if (t.size() != 64)
        return false;
    for (QChar c : t) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

QByteArray sha256Raw(QStringView hex)
{
    if (!isSha256Hex(hex))
        return {};
    return QByteArray::fromHex(hex.toLatin1());
}

QCborMap encode(const Find &m)
{
    return QCborMap {{u"req"_s, m.requestId}, {u"pattern"_s, m.pattern}};
}

QCborMap encode(const Offer &m)
{
    QCborMap body {{u"req"_s, m.requestId}, {u"file"_s, m.fileId},   {u"name"_s, m.name},
                   {u"size"_s, m.size},     {u"sha256"_s, m.sha256}, {u"slots"_s, m.freeSlots}};
    putPublicKey(body, m.publicKey);
    return body;
}

QCborMap encode(const Get &m)
{
    QCborMap body {{u"xfer"_s, m.transferId},
                   {u"key"_s, m.key},
                   {u"cands"_s, encodeCandidates(m.candidates)}};
    putPublicKey(body, m.publicKey);
    return body;
}

QCborMap encode(const Accept &m)
{
    QCborMap body {{u"xfer"_s, m.transferId}, {u"token"_s, m.token},
                   {u"port"_s, m.port},       {u"cands"_s, encodeCandidates(m.candidates)},
                   {u"size"_s, m.size},       {u"sha256"_s, m.sha256}};
    putPublicKey(body, m.publicKey);
    return body;
}

QCborMap encode(const RelayOffer &m)
{
    return QCborMap {
            {u"xfer"_s, m.transferId}, {u"ip"_s, m.ip}, {u"port"_s, m.port}, {u"token"_s, m.token}};
}

QCborMap encode(const Refuse &m)
{
    return QCborMap {{u"xfer"_s, m.transferId}, {u"reason"_s, m.reason}};
}

QCborMap encode(const Pause &m)
{
    return QCborMap {{u"xfer"_s, m.transferId}};
}

QCborMap encode(const Announce &m)
{
    return QCborMap {{u"file"_s, m.fileId},
                     {u"name"_s, m.name},
                     {u"size"_s, m.size},
                     {u"sha256"_s, m.sha256}};
}

std::optional<Find> decodeFind(const QCborMap &body)
{
    auto req = id(body, "req"_L1);
    auto pattern = text(body, "pattern"_L1, MaxPatternLength);
    if (!req || !pattern)
        return std::nullopt;
    return Find {*req, *pattern};
}

std::optional<Offer> decodeOffer(const QCborMap &body)
{
    auto req = id(body, "req"_L1);
    auto file = text(body, "file"_L1, 16);
    auto name = text(body, "name"_L1, MaxNameLength);
    auto size = integer(body, "size"_L1, 0, kMaxSize);
    auto digest = sha(body);
    auto freeSlots = integer(body, "slots"_L1, 0, 1024);
    auto pk = publicKey(body);
    if (!req || !file || !Share::isFileId(*file) || !name || name->isEmpty() || !size || !digest
        || !freeSlots || !pk)
        return std::nullopt;
    return Offer {*req, *file, *name, *size, *digest, int(*freeSlots), *pk};
}

std::optional<Get> decodeGet(const QCborMap &body)
{
    // Requests name files by id or digest only; any path-like field makes the body invalid.
    if (body.contains(u"path"_s) || body.contains(u"name"_s))
        return std::nullopt;
    auto xfer = id(body, "xfer"_L1);
    auto key = text(body, "key"_L1, 64);
    auto candidates = decodeCandidates(body, "cands"_L1);
    auto pk = publicKey(body);
    if (!xfer || !key || !(Share::isFileId(*key) || isSha256Hex(*key)) || !candidates || !pk)
        return std::nullopt;
    return Get {*xfer, *key, *candidates, *pk};
}

std::optional<Accept> decodeAccept(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    const QByteArray token = body.value(u"token"_s).toByteArray();
    auto port = integer(body, "port"_L1, 1, 65535);
    auto size = integer(body, "size"_L1, 0, kMaxSize);
    auto digest = sha(body);
    auto candidates = decodeCandidates(body, "cands"_L1);
    auto pk = publicKey(body);
    if (!xfer || token.size() != 16 || !port || !size || !digest || !candidates || !pk)
        return std::nullopt;
    return Accept {*xfer, token, quint16(*port), *candidates, *size, *digest, *pk};
}

std::optional<RelayOffer> decodeRelayOffer(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    auto ip = address(body, "ip"_L1);
    auto port = integer(body, "port"_L1, 1, 65535);
    const QCborValue token = body.value(u"token"_s);
    if (!xfer || !ip || !port || !token.isByteArray() || token.toByteArray().size() != 16)
        return std::nullopt;
    return RelayOffer {*xfer, ip->toString(), quint16(*port), token.toByteArray()};
}

std::optional<Refuse> decodeRefuse(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    auto reason = text(body, "reason"_L1, 32);
    if (!xfer || !reason)
        return std::nullopt;
    return Refuse {*xfer, *reason};
}

std::optional<Pause> decodePause(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    if (!xfer)
        return std::nullopt;
    return Pause {*xfer};
}

std::optional<Announce> decodeAnnounce(const QCborMap &body)
{
    auto file = text(body, "file"_L1, 16);
    auto name = text(body, "name"_L1, MaxNameLength);
    auto size = integer(body, "size"_L1, 0, kMaxSize);
    auto digest = sha(body);
    if (!file || !Share::isFileId(*file) || !name || name->isEmpty() || !size || !digest)
        return std::nullopt;
    return Announce {*file, *name, *size, *digest};
}

} // namespace Client::FileSignal
