#include <client/knownservers.h>
#include <crypto/certificatefingerprint.h>

#include <QFile>
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
                + "\nhost:2 not-a-fingerprint\n");
        f.close();
        const Client::KnownServers known(path);
        QCOMPARE(known.find(u"host:1"_s)->line, 3);
        QCOMPARE(known.find(u"host:1"_s)->fingerprint, fp(u'e')); // canonical lower case
        QVERIFY(known.find(u"host:2"_s)->fingerprint.isEmpty()); // never matches a certificate
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
