#include <crypto/identitykey.h>

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using Crypto::IdentityKey;

class TstIdentityKey : public QObject
{
    Q_OBJECT

private slots:
    void signsAndVerifies()
    {
        const IdentityKey key = IdentityKey::generate();
        QVERIFY(key.isValid());
        QCOMPARE(key.publicKey().size(), IdentityKey::kPublicKeySize);
        const QByteArray sig = key.sign("transcript");
        QCOMPARE(sig.size(), IdentityKey::kSignatureSize);
        QVERIFY(IdentityKey::verify(key.publicKey(), "transcript", sig));
    }

    void rejectsWhatWasNotSigned()
    {
        const IdentityKey key = IdentityKey::generate();
        const IdentityKey other = IdentityKey::generate();
        QByteArray sig = key.sign("transcript");
        QVERIFY(!IdentityKey::verify(key.publicKey(), "transcripT", sig));
        QVERIFY(!IdentityKey::verify(other.publicKey(), "transcript", sig));
        sig[5] = char(sig[5] ^ 1);
        QVERIFY(!IdentityKey::verify(key.publicKey(), "transcript", sig));
        QVERIFY(!IdentityKey::verify(key.publicKey().left(31), "transcript", key.sign("x")));
        QVERIFY(!IdentityKey::verify(key.publicKey(), "transcript", sig.left(63)));
        QVERIFY(!IdentityKey::verify(QByteArray(32, '\0'), "transcript", sig));
    }

    void savesOwnerOnlyAndLoadsTheSameKey()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profile/identity.pem"));
        QString error;
        const auto made = IdentityKey::loadOrCreate(path, &error);
        QVERIFY2(made, qPrintable(error));
        QCOMPARE(QFile::permissions(path),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                         | QFileDevice::WriteUser);
        const auto again = IdentityKey::loadOrCreate(path, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->publicKey(), made->publicKey());
        QVERIFY(IdentityKey::verify(made->publicKey(), "m", again->sign("m")));
    }

    void refusesAFileThatIsNoKey()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("identity.pem"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
        f.close();
        QString error;
        QVERIFY(!IdentityKey::loadOrCreate(path, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!IdentityKey::load(dir.filePath(QStringLiteral("missing.pem")), &error));
    }

    void fingerprintIsStableAndReadable()
    {
        const IdentityKey key = IdentityKey::generate();
        const QString fp = key.fingerprint();
        QVERIFY(QRegularExpression(QStringLiteral("^SHA256:([0-9a-f]{4}:){7}[0-9a-f]{4}$"))
                        .match(fp)
                        .hasMatch());
        QCOMPARE(IdentityKey::fingerprintOf(key.publicKey()), fp);
        QVERIFY(IdentityKey::generate().fingerprint() != fp);
        QVERIFY(IdentityKey::fingerprintOf("short").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstIdentityKey)
#include "tst_identitykey.moc"
