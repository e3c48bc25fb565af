#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace Crypto {

// A server's TLS certificate when no operator gave one: ECDSA P-256 (what QSslKey can hold;
// it cannot hold Ed25519), self-signed, made with OpenSSL. Clients pin it on first use.
class SelfSignedCertificate
{
public:
    struct Pem
    {
        QByteArray certificate;
        QByteArray privateKey;
    };
    static constexpr int kValidityDays = 10 * 365;

    // CN = commonName, subjectAltName DNS:commonName (and localhost), valid for ten years.
    [[nodiscard]] static std::optional<Pem> generate(const QString &commonName,
                                                     QString *error = nullptr);
    // True when the PEM private key belongs to the PEM certificate.
    [[nodiscard]] static bool keyMatches(const QByteArray &certificatePem,
                                         const QByteArray &privateKeyPem, QString *error = nullptr);
};

} // namespace Crypto
