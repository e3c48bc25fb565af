#pragma once

#include <protocol/errorcode.h>

#include <QCborMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Protocol {

// Reads typed, range-checked fields from a decoded CBOR map. The first problem is remembered
// (field name and why) so that a decoder can read every field and check ok() once at the end.
class FieldReader
{
public:
    explicit FieldReader(const QCborMap &map)
        : m_map(map)
    { }

    QString string(QStringView key, qsizetype maxLength, bool required = true);
    qint64 integer(QStringView key, qint64 min, qint64 max, bool required = true);
    // An absent optional boolean reads as `fallback`; any other type than true/false fails.
    bool boolean(QStringView key, bool fallback = false, bool required = false);
    QStringList stringList(QStringView key, qsizetype maxItems, qsizetype maxLength,
                           bool required = false);
    QByteArray bytes(QStringView key, qsizetype maxLength, bool required = true);
    // A byte string of exactly `size` bytes (keys, signatures).
    QByteArray fixedBytes(QStringView key, qsizetype size, bool required = true);
    std::optional<QCborMap> map(QStringView key, bool required = true);
    // Any value: for a field that may have more than one type.
    std::optional<QCborValue> value(QStringView key, bool required = true);
    std::optional<QCborArray> array(QStringView key, qsizetype maxItems, bool required = true);

    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] const QString &error() const { return m_error; }
    void fail(const QString &message);
    // The error code a failed decode answers with (bad-field unless a decoder says otherwise,
    // e.g. bad-identity for a hello whose key is not a key).
    [[nodiscard]] ErrorCode errorCode() const { return m_code; }
    void setErrorCode(ErrorCode code) { m_code = code; }

private:
    const QCborMap &m_map;
    QString m_error;
    ErrorCode m_code = ErrorCode::BadField;
};

} // namespace Protocol
