#include <protocol/fieldreader.h>

#include <QCborArray>

using namespace Qt::StringLiterals;

namespace Protocol {

void FieldReader::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
}

QString FieldReader::string(QStringView key, qsizetype maxLength, bool required)
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(u"missing field '%1'"_s.arg(key));
        return {};
    }
    if (!v.isString()) {
        fail(u"field '%1' must be a text string"_s.arg(key));
        return {};
    }
    QString s = v.toString();
    if (s.size() > maxLength) {
        fail(u"field '%1' is longer than %2 characters"_s.arg(key).arg(maxLength));
        return {};
    }
    return s;
}

QByteArray FieldReader::bytes(QStringView key, qsizetype maxLength, bool required)
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(u"missing field '%1'"_s.arg(key));
        return {};
    }
    if (!v.isByteArray()) {
        fail(u"field '%1' must be a byte string"_s.arg(key));
        return {};
    }
    QByteArray b = v.toByteArray();
    if (b.size() > maxLength) {
        fail(u"field '%1' is longer than %2 bytes"_s.arg(key).arg(maxLength));
        return {};
    }
    return b;
}

QByteArray FieldReader::fixedBytes(QStringView key, qsizetype size, bool required)
{
    QByteArray b = bytes(key, size, required);
    if (ok() && !m_map.value(key).isUndefined() && b.size() != size) {
        fail(u"field '%1' must be %2 bytes"_s.arg(key).arg(size));
        return {};
    }
    return b;
}

qint64 FieldReader::integer(QStringView key, qint64 min, qint64 max, bool required)
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(u"missing field '%1'"_s.arg(key));
        return min < 0 && max > 0 ? 0 : min;
    }
    if (!v.isInteger()) {
        fail(u"field '%1' must be an integer"_s.arg(key));
        return min;
    }
    const qint64 n = v.toInteger();
    if (n < min || n > max) {
        fail(u"field '%1' is out of range [%2, %3]"_s.arg(key).arg(min).arg(max));
        return min;
    }
    return n;
}

bool FieldReader::boolean(QStringView key, bool fallback, bool required)
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(u"missing field '%1'"_s.arg(key));
        return fallback;
    }
    if (!v.isBool()) {
        fail(u"field '%1' must be true or false"_s.arg(key));
        return fallback;
    }
    return v.isTrue();
}

QStringList FieldReader::stringList(QStringView key, qsizetype maxItems, qsizetype maxLength,
                                    bool required)
{
    const auto arr = array(key, maxItems, required);
    if (!arr)
        return {};
    QStringList out;
    out.reserve(arr->size());
    for (const QCborValue &item : *arr) {
        if (!item.isString() || item.toString().size() > maxLength) {
            fail(u"field '%1' must be a list of short text strings"_s.arg(key));
            return {};
        }
        out.append(item.toString());
    }
    return out;
}

std::optional<QCborValue> FieldReader::value(QStringView key, bool required)
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined()) {
        if (required)
            fail(u"missing field '%1'"_s.arg(key));
        return std::nullopt;
    }
    return v;
}

std::optional<QCborMap> FieldReader::map(QStringView key, bool required)
{
    const auto v = value(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isMap()) {
        fail(u"field '%1' must be a map"_s.arg(key));
        return std::nullopt;
    }
    return v->toMap();
}

std::optional<QCborArray> FieldReader::array(QStringView key, qsizetype maxItems, bool required)
{
    const auto v = value(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        fail(u"field '%1' must be an array"_s.arg(key));
        return std::nullopt;
    }
    QCborArray arr = v->toArray();
    if (arr.size() > maxItems) {
        fail(u"field '%1' has more than %2 items"_s.arg(key).arg(maxItems));
        return std::nullopt;
    }
    return arr;
}

} // namespace Protocol
