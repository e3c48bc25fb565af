#include <protocol/names.h>

#include <QTest>

using namespace Qt::StringLiterals;

class TestNames : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nicks_data()
    {
        QTest::addColumn<QString>("nick");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << u"alice"_s << true;
        QTest::newRow("with digits and marks") << u"bob_2.0-x"_s << true;
        QTest::newRow("32 chars") << QString(32, u'a') << true;
        QTest::newRow("33 chars") << QString(33, u'a') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("digit first") << u"1bob"_s << false;
        QTest::newRow("ip address") << u"10.0.0.1"_s << false;
        QTest::newRow("space") << u"bo b"_s << false;
        QTest::newRow("at sign") << u"@bob"_s << false;
        QTest::newRow("non ascii") << u"bøb"_s << false;
        QTest::newRow("control") << u"bob\u0001"_s << false;
        QTest::newRow("reserved all") << u"all"_s << false;
        QTest::newRow("reserved ALL") << u"ALL"_s << false;
        QTest::newRow("reserved verb") << u"Who"_s << false;
        QTest::newRow("reserved msg") << u"msg"_s << false;
        QTest::newRow("word containing a verb") << u"alligator"_s << true;
    }
    void nicks()
    {
        QFETCH(QString, nick);
        QFETCH(bool, valid);
        QCOMPARE(Protocol::isValidNick(nick), valid);
    }

    void rooms_data()
    {
        QTest::addColumn<QString>("room");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << u"lobby"_s << true;
        QTest::newRow("hash") << u"#dev"_s << true;
        QTest::newRow("digits") << u"2026"_s << true;
        QTest::newRow("64 chars") << QString(64, u'r') << true;
        QTest::newRow("65 chars") << QString(65, u'r') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("dot first") << u".hidden"_s << false;
        QTest::newRow("slash") << u"a/b"_s << false;
        QTest::newRow("space") << u"a b"_s << false;
    }
    void rooms()
    {
        QFETCH(QString, room);
        QFETCH(bool, valid);
        QCOMPARE(Protocol::isValidRoom(room), valid);
    }

    void nickKeyIgnoresCase() { QCOMPARE(Protocol::nickKey(u"BoB"), Protocol::nickKey(u"bob")); }

    void hostPort_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("v4") << u"127.0.0.1:7400"_s << true << u"127.0.0.1"_s << 7400;
        QTest::newRow("name") << u"localhost:1"_s << true << u"localhost"_s << 1;
        QTest::newRow("v6") << u"[::1]:80"_s << true << u"::1"_s << 80;
        QTest::newRow("any") << u":0"_s << true << QString() << 0;
        QTest::newRow("no port") << u"127.0.0.1"_s << false << QString() << 0;
        QTest::newRow("bad port") << u"h:70000"_s << false << QString() << 0;
        QTest::newRow("bare v6") << u"::1:80"_s << false << QString() << 0;
        QTest::newRow("text port") << u"h:http"_s << false << QString() << 0;
    }
    void hostPort()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        const auto hp = Protocol::parseHostPort(text);
        QCOMPARE(hp.has_value(), ok);
        if (ok) {
            QFETCH(QString, host);
            QFETCH(int, port);
            QCOMPARE(hp->host, host);
            QCOMPARE(int(hp->port), port);
        }
    }
};

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
