#include <client/command.h>

#include <QTest>

using namespace Qt::StringLiterals;
namespace C = Client::Command;

class TestCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void say_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<QString>("text");
        QTest::newRow("say") << u"say hello world"_s << QStringList {} << u"hello world"_s;
        QTest::newRow("say keeps spacing")
                << u"say  two  spaces"_s << QStringList {} << u" two  spaces"_s;
        QTest::newRow("@all") << u"@all hi"_s << QStringList {} << u"hi"_s;
        QTest::newRow("@nick") << u"@bob psst"_s << QStringList {u"bob"_s} << u"psst"_s;
        QTest::newRow("@ip") << u"@10.0.0.2 yo"_s << QStringList {u"10.0.0.2"_s} << u"yo"_s;
        QTest::newRow("several") << u"@bob @carol,@dave hi all three"_s
                                 << QStringList {u"bob"_s, u"carol"_s, u"dave"_s}
                                 << u"hi all three"_s;
        QTest::newRow("msg") << u"msg @bob hi"_s << QStringList {u"bob"_s} << u"hi"_s;
        QTest::newRow("slash") << u"/msg @bob hi"_s << QStringList {u"bob"_s} << u"hi"_s;
        QTest::newRow("text with semicolon") << u"say a;b"_s << QStringList {} << u"a;b"_s;
    }
    void say()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, targets);
        QFETCH(QString, text);
        const C::ParseResult r = C::parse(line);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.command);
        const auto *say = std::get_if<C::Say>(&*r.command);
        QVERIFY(say);
        QCOMPARE(say->targets, targets);
        QCOMPARE(say->text, text);
    }

    void others()
    {
        QCOMPARE(std::get<C::Join>(*C::parse(u"join lobby"_s).command).room, u"lobby"_s);
        QCOMPARE(std::get<C::Leave>(*C::parse(u"leave"_s).command).room, QString());
        QCOMPARE(std::get<C::Leave>(*C::parse(u"/leave dev"_s).command).room, u"dev"_s);
        QCOMPARE(std::get<C::Use>(*C::parse(u"use dev"_s).command).room, u"dev"_s);
        QCOMPARE(std::get<C::Who>(*C::parse(u"who"_s).command).room, QString());
        QCOMPARE(std::get<C::Ping>(*C::parse(u"ping beta"_s).command).server, u"beta"_s);
        QCOMPARE(std::get<C::Sleep>(*C::parse(u"sleep 1.5"_s).command).seconds, 1.5);
        QVERIFY(std::holds_alternative<C::Quit>(*C::parse(u"QUIT"_s).command));
        QVERIFY(std::holds_alternative<C::Help>(*C::parse(u"help"_s).command));
        QCOMPARE(std::get<C::Trust>(*C::parse(u"trust bob"_s).command).nick, u"bob"_s);
        QCOMPARE(std::get<C::Trust>(*C::parse(u"/trust @bob"_s).command).nick, u"bob"_s);
    }

    void blankAndComments()
    {
        for (const QString &line : {u""_s, u"   "_s, u"# a comment"_s}) {
            const C::ParseResult r = C::parse(line);
            QVERIFY(!r.command);
            QVERIFY(r.error.isEmpty());
        }
    }

    void errors_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown") << u"teleport now"_s << u"unknown command"_s;
        QTest::newRow("say nothing") << u"say"_s << u"usage"_s;
        QTest::newRow("@ nothing") << u"@bob"_s << u"nothing to say"_s;
        QTest::newRow("@ empty") << u"@ hi"_s << u"empty"_s;
        QTest::newRow("join nothing") << u"join"_s << u"usage"_s;
        QTest::newRow("msg no target") << u"msg hi"_s << u"usage"_s;
        QTest::newRow("sleep words") << u"sleep forever"_s << u"usage"_s;
        QTest::newRow("sleep negative") << u"sleep -1"_s << u"usage"_s;
        QTest::newRow("sleep huge") << u"sleep 99999"_s << u"usage"_s;
        QTest::newRow("trust nobody") << u"trust"_s << u"usage"_s;
    }
    void errors()
    {
        QFETCH(QString, line);
        QFETCH(QString, mentions);
        const C::ParseResult r = C::parse(line);
        QVERIFY(!r.command);
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestCommand)
#include "tst_command.moc"
