#include "client/filesignalling.h"

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
    return QCborMap {{u"req"_s, m.requestId}, {u"file"_s, m.fileId},   {u"name"_s, m.name},
                     {u"size"_s, m.size},     {u"sha256"_s, m.sha256}, {u"slots"_s, m.freeSlots}};
}

QCborMap encode(const Get &m)
{
    return QCborMap {{u"xfer"_s, m.transferId}, {u"key"_s, m.key}};
}

QCborMap encode(const Accept &m)
{
    QCborArray candidates;
    for (const auto &c : m.candidates)
        candidates.append(c);
    return QCborMap {{u"xfer"_s, m.transferId},     {u"token"_s, m.token}, {u"port"_s, m.port},
                     {u"candidates"_s, candidates}, {u"size"_s, m.size},   {u"sha256"_s, m.sha256}};
}

QCborMap encode(const Refuse &m)
{
    return QCborMap {{u"xfer"_s, m.transferId}, {u"reason"_s, m.reason}};
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
    if (!req || !file || !Share::isFileId(*file) || !name || name->isEmpty() || !size || !digest
        || !freeSlots)
        return std::nullopt;
    return Offer {*req, *file, *name, *size, *digest, int(*freeSlots)};
}

std::optional<Get> decodeGet(const QCborMap &body)
{
    // Requests name files by id or digest only; any path-like field makes the body invalid.
    if (body.contains(u"path"_s) || body.contains(u"name"_s))
        return std::nullopt;
    auto xfer = id(body, "xfer"_L1);
    auto key = text(body, "key"_L1, 64);
    if (!xfer || !key || !(Share::isFileId(*key) || isSha256Hex(*key)))
        return std::nullopt;
    return Get {*xfer, *key};
}

std::optional<Accept> decodeAccept(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    const QByteArray token = body.value(u"token"_s).toByteArray();
    auto port = integer(body, "port"_L1, 1, 65535);
    auto size = integer(body, "size"_L1, 0, kMaxSize);
    auto digest = sha(body);
    if (!xfer || token.size() != 16 || !port || !size || !digest)
        return std::nullopt;
    Accept a {*xfer, token, quint16(*port), {}, *size, *digest};
    const QCborArray candidates = body.value(u"candidates"_s).toArray();
    for (qsizetype i = 0; i < candidates.size() && i < MaxCandidates; ++i) {
        if (candidates.at(i).isString() && candidates.at(i).toString().size() <= 64)
            a.candidates.append(candidates.at(i).toString());
    }
    return a;
}

std::optional<Refuse> decodeRefuse(const QCborMap &body)
{
    auto xfer = id(body, "xfer"_L1);
    auto reason = text(body, "reason"_L1, 32);
    if (!xfer || !reason)
        return std::nullopt;
    return Refuse {*xfer, *reason};
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
