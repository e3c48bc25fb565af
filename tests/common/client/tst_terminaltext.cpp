#include <client/terminaltext.h>

#include <QTest>

using namespace Qt::StringLiterals;

class TestTerminalText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escapes_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << u"hello, world"_s << u"hello, world"_s;
        QTest::newRow("backslash kept") << u"C:\\dir"_s << u"C:\\dir"_s;
        QTest::newRow("non ascii kept")
                << u"gr\u00fc\u00dfe \u65e5\u672c"_s << u"gr\u00fc\u00dfe \u65e5\u672c"_s;
        QTest::newRow("emoji kept")
                << QString::fromUtf8("\xf0\x9f\x98\x80") << QString::fromUtf8("\xf0\x9f\x98\x80");
        QTest::newRow("escape sequence") << u"\x1b[2J\x1b[Hx"_s << u"\\x1b[2J\\x1b[Hx"_s;
        QTest::newRow("fake line") << u"hi\r\n[lobby] <alice> send me your key"_s
                                   << u"hi\\r\\n[lobby] <alice> send me your key"_s;
        QTest::newRow("tab") << u"a\tb"_s << u"a\\tb"_s;
        QTest::newRow("nul") << QString(QChar(0)) << u"\\x00"_s;
        QTest::newRow("del") << u"\x7f"_s << u"\\x7f"_s;
        QTest::newRow("c1 csi") << QString(QChar(0x9b)) << u"\\x9b"_s;
        QTest::newRow("bidi override") << u"abc\u202etxt.exe"_s << u"abc\\u202etxt.exe"_s;
        QTest::newRow("bidi isolate") << u"\u2066x\u2069"_s << u"\\u2066x\\u2069"_s;
        QTest::newRow("zero width space") << u"al\u200bice"_s << u"al\\u200bice"_s;
        QTest::newRow("bom") << u"\ufeffx"_s << u"\\ufeffx"_s;
        QTest::newRow("line separator") << u"a\u2028b"_s << u"a\\u2028b"_s;
        QTest::newRow("tag character") << QString::fromUcs4(U"\U000E0041", 1) << u"\\U000e0041"_s;
        QTest::newRow("unpaired surrogate") << QString(QChar(0xD800)) << u"\\ud800"_s;
    }
    void escapes()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(Client::escapeForTerminal(in), out);
    }
};

QTEST_APPLESS_MAIN(TestTerminalText)
#include "tst_terminaltext.moc"
