#include <server-console/tlscredentials.h>

#include <server-console/serverconfig.h>

#include <crypto/certificatefingerprint.h>
#include <crypto/selfsignedcertificate.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace Server {

namespace {
constexpr qint64 kMaxPemBytes = 1 << 20;

std::optional<QByteArray> readPem(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return file.read(kMaxPemBytes);
}

// The key is created owner-only (and an old file narrowed first), never readable by others.
bool writeFile(const QString &path, const QByteArray &data, bool secret, QString *error)
{
    QFile file(path);
    const QFile::Permissions mode = secret ? QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                           : QFileDevice::ReadOwner | QFileDevice::WriteOwner
                    | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (file.exists() && !file.setPermissions(mode)) {
        *error = u"cannot set the mode of %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate, mode)
        || file.write(data) != data.size() || !file.flush()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}
} // namespace

std::optional<TlsCredentials> TlsCredentials::fromPem(const QByteArray &certPem,
                                                      const QByteArray &keyPem, const QString &what,
                                                      QString *error)
{
    QString why;
    if (!Crypto::SelfSignedCertificate::keyMatches(certPem, keyPem, &why)) {
        *error = u"TLS certificate %1: %2"_s.arg(what, why);
        return std::nullopt;
    }
    TlsCredentials out;
    out.m_certificate = QSslCertificate(certPem, QSsl::Pem);
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        out.m_key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!out.m_key.isNull())
            break;
    }
    if (out.m_certificate.isNull() || out.m_key.isNull()) {
        *error = u"TLS certificate %1: Qt cannot use it (an EC or RSA key is needed)"_s.arg(what);
        return std::nullopt;
    }
    out.m_origin = what;
    return out;
}

std::optional<TlsCredentials> TlsCredentials::load(const QString &certFile, const QString &keyFile,
                                                   QString *error)
{
    const auto cert = readPem(certFile, error);
    const auto key = cert ? readPem(keyFile, error) : std::nullopt;
    if (!cert || !key)
        return std::nullopt;
    return fromPem(*cert, *key, u"%1 (key %2)"_s.arg(certFile, keyFile), error);
}

std::optional<TlsCredentials>
TlsCredentials::loadOrCreate(const QString &dir, const QString &serverName, QString *error)
{
    const QString certFile = dir + u'/' + QLatin1StringView(kCertFile);
    const QString keyFile = dir + u'/' + QLatin1StringView(kKeyFile);
    const bool haveCert = QFileInfo::exists(certFile);
    if (haveCert || QFileInfo::exists(keyFile)) {
        if (!haveCert || !QFileInfo::exists(keyFile)) {
            *error = u"%1 is missing its pair; remove it or supply both"_s.arg(haveCert ? certFile
                                                                                        : keyFile);
            return std::nullopt;
        }
        return load(certFile, keyFile, error);
    }
    const auto pem = Crypto::SelfSignedCertificate::generate(serverName, error);
    if (!pem)
        return std::nullopt;
    if (!QDir().mkpath(dir)) {
        *error = u"cannot create %1"_s.arg(dir);
        return std::nullopt;
    }
    // The key first: a certificate without its key would be refused on the next start.
    if (!writeFile(keyFile, pem->privateKey, true, error)
        || !writeFile(certFile, pem->certificate, false, error))
        return std::nullopt;
    auto out = fromPem(pem->certificate, pem->privateKey, certFile, error);
    if (out)
        out->m_origin = u"%1 (generated now)"_s.arg(certFile);
    return out;
}

std::optional<TlsCredentials> TlsCredentials::ephemeral(const QString &serverName, QString *error)
{
    const auto pem = Crypto::SelfSignedCertificate::generate(serverName, error);
    if (!pem)
        return std::nullopt;
    return fromPem(pem->certificate, pem->privateKey, u"generated for this run"_s, error);
}

std::optional<TlsCredentials> TlsCredentials::forConfig(const ServerConfig &config, QString *error)
{
    if (!config.tlsCert.isEmpty() || !config.tlsKey.isEmpty()) {
        if (config.tlsCert.isEmpty() || config.tlsKey.isEmpty()) {
            *error = u"--tls-cert and --tls-key go together"_s;
            return std::nullopt;
        }
        return load(config.tlsCert, config.tlsKey, error);
    }
    if (config.tlsDir.isEmpty())
        return ephemeral(config.name, error);
    return loadOrCreate(config.tlsDir, config.name, error);
}

QString TlsCredentials::fingerprint() const
{
    return Crypto::certificateFingerprint(m_certificate.toDer());
}

QSslConfiguration TlsCredentials::configuration() const
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_3OrLater);
    tls.setLocalCertificate(m_certificate);
    tls.setPrivateKey(m_key);
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    return tls;
}

} // namespace Server
