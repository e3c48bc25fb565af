#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>

#include <optional>

namespace Server {

struct ServerConfig;

// The server's TLS certificate and key: the operator's (--tls-cert/--tls-key), or a
// self-signed one generated on first start and kept next to the configuration (key 0600),
// or, with no folder to keep it in (in-process tests), one made for this run only.
class TlsCredentials
{
public:
    static constexpr const char *kCertFile = "server-cert.pem";
    static constexpr const char *kKeyFile = "server-key.pem";

    // Chooses by the config as described above; nullopt with *error on a bad, missing,
    // unreadable or mismatched pair (the server then refuses to start).
    [[nodiscard]] static std::optional<TlsCredentials> forConfig(const ServerConfig &config,
                                                                 QString *error);
    [[nodiscard]] static std::optional<TlsCredentials> load(const QString &certFile,
                                                            const QString &keyFile, QString *error);
    // Loads DIR/server-{cert,key}.pem, or generates and saves them when neither exists.
    [[nodiscard]] static std::optional<TlsCredentials>
    loadOrCreate(const QString &dir, const QString &serverName, QString *error);
    [[nodiscard]] static std::optional<TlsCredentials> ephemeral(const QString &serverName,
                                                                 QString *error);

    [[nodiscard]] const QSslCertificate &certificate() const { return m_certificate; }
    [[nodiscard]] const QSslKey &key() const { return m_key; }
    // "SHA256:<hex>" of the certificate's DER, as clients pin it.
    [[nodiscard]] QString fingerprint() const;
    // TLS 1.3 only, this certificate and key; asks a peer for its certificate without
    // requiring one (linking servers present theirs, clients none).
    [[nodiscard]] QSslConfiguration configuration() const;
    // Where it came from, for the start-up log line.
    [[nodiscard]] QString origin() const { return m_origin; }

private:
    static std::optional<TlsCredentials> fromPem(const QByteArray &certPem,
                                                 const QByteArray &keyPem, const QString &what,
                                                 QString *error);

    QSslCertificate m_certificate;
    QSslKey m_key;
    QString m_origin;
};

} // namespace Server
