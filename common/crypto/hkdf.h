#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Crypto {

// HKDF-SHA256 (RFC 5869) through OpenSSL 3's EVP_KDF "HKDF". Each returns an empty array when
// OpenSSL fails or `length` is out of range (expand: 1..255*32).
[[nodiscard]] QByteArray hkdfExtract(QByteArrayView salt, QByteArrayView inputKeyMaterial);
[[nodiscard]] QByteArray hkdfExpand(QByteArrayView pseudoRandomKey, QByteArrayView info,
                                    qsizetype length);
// HMAC-SHA256 (for proofs of possession), 32 bytes.
[[nodiscard]] QByteArray hmacSha256(QByteArrayView key, QByteArrayView message);

} // namespace Crypto
