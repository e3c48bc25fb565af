#include <client/servertrust.h>

#include <client/clientlogging.h>
#include <client/knownservers.h>

#include <crypto/certificatefingerprint.h>

#include <QCryptographicHash>
#include <QSslConfiguration>
#include <QSslSocket>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
// What a self-signed certificate raises. Anything else (expired, revoked, bad signature, ...)
// stays fatal even when the pin matches.
bool tolerated(const QSslError &error)
{
    switch (error.error()) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}
} // namespace

QString ServerTrust::hostPort(const QString &host, quint16 port)
{
    return host.contains(u':') ? u"[%1]:%2"_s.arg(host).arg(port) : u"%1:%2"_s.arg(host).arg(port);
}

QByteArray ServerTrust::certificateHash(const QSslSocket &socket, bool peer)
{
    if (!socket.isEncrypted())
        return {};
    const QSslCertificate cert = peer ? socket.peerCertificate() : socket.localCertificate();
    return cert.isNull() ? QByteArray()
                         : QCryptographicHash::hash(cert.toDer(), QCryptographicHash::Sha256);
}

void ServerTrust::connectSocket(QSslSocket &socket, const TlsSettings &settings,
                                const QString &host, quint16 port)
{
    if (!settings.encrypted()) {
        socket.connectToHost(host, port);
        return;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_3OrLater);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    socket.setSslConfiguration(tls);
    socket.connectToHostEncrypted(host, port);
}

bool ServerTrust::review(QSslSocket &socket, const TlsSettings &settings, const QString &hostPort,
                         const QList<QSslError> &errors, QString *failure)
{
    QStringList fatal;
    for (const QSslError &e : errors) {
        if (!tolerated(e))
            fatal.append(e.errorString());
    }
    if (!fatal.isEmpty()) {
        *failure = u"TLS: the certificate of %1 is not acceptable: %2"_s.arg(hostPort,
                                                                             fatal.join(u"; "_s));
        return false;
    }
    if (settings.mode == TlsSettings::Mode::Pinned) {
        const QString now = Crypto::certificateFingerprint(socket.peerCertificate().toDer());
        const KnownServers known(settings.knownServersFile);
        // Pins that cannot be read cannot be checked: refuse rather than trust afresh.
        if (const QString unreadable = known.readError(); !unreadable.isEmpty()) {
            *failure = u"TLS: cannot check the certificate of %1: %2. Fix the file, or remove it "
                       "to trust servers afresh."_s.arg(hostPort, unreadable);
            return false;
        }
        if (const auto pinned = known.find(hostPort); pinned && pinned->fingerprint != now) {
            *failure = u"TLS: the certificate of %1 has changed: pinned %2, now %3. Someone may "
                       "be intercepting the connection. If the server's certificate was replaced "
                       "on purpose, remove line %4 of %5 and connect again."_s
                               .arg(hostPort, pinned->fingerprint, now)
                               .arg(pinned->line)
                               .arg(known.path());
            return false;
        }
    }
    socket.ignoreSslErrors(errors);
    return true;
}

void ServerTrust::confirm(const QSslSocket &socket, const TlsSettings &settings,
                          const QString &hostPort)
{
    if (settings.mode != TlsSettings::Mode::Pinned)
        return;
    const QString now = Crypto::certificateFingerprint(socket.peerCertificate().toDer());
    KnownServers known(settings.knownServersFile);
    const auto pinned = known.find(hostPort);
    if (pinned && pinned->fingerprint == now)
        return;
    QString error;
    if (!known.remember(hostPort, now, &error))
        qCWarning(lcClient).noquote() << error;
    else
        qCInfo(lcClient).noquote() << u"pinned %1 as %2 in %3"_s.arg(hostPort, now, known.path());
}

} // namespace Client
