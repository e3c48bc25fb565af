#include <client/knownservers.h>
#include <crypto/certificatefingerprint.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The pin file: first use records, a second record replaces, line numbers name the line to
// remove, and a garbled file is read without harm.
class TestKnownServers : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    static QString fp(QChar c) { return u"SHA256:"_s + QString(64, c); }

private Q_SLOTS:
    void emptyFileKnowsNothing()
    {
        const Client::KnownServers known(m_dir.filePath(u"none"_s));
        QVERIFY(!known.find(u"127.0.0.1:7400"_s));
    }

    void remembersReplacesAndCountsLines()
    {
        Client::KnownServers known(m_dir.filePath(u"sub/dir/known-servers"_s));
        QVERIFY(known.remember(u"a.example:7400"_s, fp(u'a')));
        QVERIFY(known.remember(u"[::1]:7400"_s, fp(u'b')));
        QCOMPARE(known.find(u"[::1]:7400"_s)->fingerprint, fp(u'b'));
        QCOMPARE(known.find(u"[::1]:7400"_s)->line, 2);
        QVERIFY(known.remember(u"a.example:7400"_s, fp(u'c')));
        QCOMPARE(known.find(u"a.example:7400"_s)->fingerprint, fp(u'c'));
        QCOMPARE(known.find(u"a.example:7400"_s)->line, 1);
        QVERIFY(!known.find(u"a.example:7401"_s)); // the port is part of the name
    }

    void garbledLinesAreSkippedButCounted()
    {
        const QString path = m_dir.filePath(u"garbled"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\n\x01\x02 garbage line with words\nhost:1 SHA256:" + QByteArray(64, 'E')
                + "\nhost:2 not-a-fingerprint\n  #host:3 SHA256:" + QByteArray(64, 'a') + "\n");
        f.close();
        const Client::KnownServers known(path);
        QCOMPARE(known.find(u"host:1"_s)->line, 3);
        QCOMPARE(known.find(u"host:1"_s)->fingerprint, fp(u'e')); // canonical lower case
        QVERIFY(known.find(u"host:2"_s)->fingerprint.isEmpty()); // never matches a certificate
        // A comment after leading blanks (a fuzzer finding: written back without the blanks,
        // the same line read as a comment, so the entries changed between two reads).
        QVERIFY(!known.find(u"#host:3"_s));
    }

    // Pins that cannot be read are neither ignored nor overwritten: a file too large for a pin
    // file (or a folder in its place) is an error, and remember() leaves it as it is.
    void anUnreadableFileIsAnErrorNeverOverwritten()
    {
        const QString big = m_dir.filePath(u"big"_s);
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray line = "host:1 SHA256:" + QByteArray(64, 'a') + '\n';
        while (f.size() <= (1 << 20))
            f.write(line);
        f.close();
        const qint64 size = QFileInfo(big).size();
        Client::KnownServers known(big);
        QVERIFY(known.readError().contains(u"larger"_s));
        QString error;
        QVERIFY(!known.remember(u"host:2"_s, fp(u'b'), &error));
        QVERIFY2(error.contains(u"not pinned"_s), qPrintable(error));
        QCOMPARE(QFileInfo(big).size(), size);

        const QString folder = m_dir.filePath(u"folder"_s);
        QVERIFY(QDir().mkpath(folder));
        Client::KnownServers notAFile(folder);
        QVERIFY(notAFile.readError().contains(u"cannot be read"_s));
        QVERIFY(!notAFile.remember(u"host:2"_s, fp(u'b')));
        QVERIFY(Client::KnownServers(m_dir.filePath(u"absent"_s)).readError().isEmpty());
    }

    void fingerprintForms()
    {
        QCOMPARE(Crypto::normalizedFingerprint(u" sha256:"_s + QString(64, u'A')), fp(u'a'));
        QString colons;
        for (int i = 0; i < 32; ++i)
            colons += (i ? u":"_s : QString()) + u"0f"_s;
        QCOMPARE(Crypto::normalizedFingerprint(colons), u"SHA256:"_s + u"0f"_s.repeated(32));
        QVERIFY(Crypto::normalizedFingerprint(u"SHA256:abc"_s).isEmpty());
        QVERIFY(Crypto::normalizedFingerprint(QString(64, u'g')).isEmpty());
        QCOMPARE(Crypto::certificateFingerprint("x").size(), 7 + 64);
    }
};

QTEST_GUILESS_MAIN(TestKnownServers)
#include "tst_knownservers.moc"
