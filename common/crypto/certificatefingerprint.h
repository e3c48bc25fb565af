#pragma once

#include <crypto/sha256.h>

#include <QString>

namespace Crypto {

// The text form of a certificate's SHA-256 (over its DER encoding) that servers log, clients
// pin and operators compare out of band: "SHA256:" and 64 lower-case hex digits.
inline QString certificateFingerprint(QByteArrayView der)
{
    return QStringLiteral("SHA256:") + QString::fromLatin1(Sha256::toHex(Sha256::hash(der)));
}

// Accepts "SHA256:ab12...", "ab:12:...", any case; returns the canonical form, or an empty
// string when it is not 32 bytes of hex.
inline QString normalizedFingerprint(QString text)
{
    text = text.trimmed();
    if (text.startsWith(QStringLiteral("SHA256:"), Qt::CaseInsensitive))
        text = text.mid(7);
    text.remove(QLatin1Char(':'));
    const auto digest = Sha256::fromHex(text.toLatin1());
    return digest ? QStringLiteral("SHA256:") + QString::fromLatin1(Sha256::toHex(*digest))
                  : QString();
}

} // namespace Crypto
