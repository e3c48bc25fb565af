#include <share/safefilename.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstSafeFileName : public QObject
{
    Q_OBJECT

private:
    static bool hasBrokenSurrogate(const QString &s)
    {
        for (qsizetype i = 0; i < s.size(); ++i) {
            if (s.at(i).isHighSurrogate()) {
                if (i + 1 >= s.size() || !s.at(i + 1).isLowSurrogate())
                    return true;
                ++i;
            } else if (s.at(i).isLowSurrogate()) {
                return true;
            }
        }
        return false;
    }

    static void verifySafe(const QString &out)
    {
        QVERIFY(!out.isEmpty());
        QVERIFY(!out.contains(u'/'));
        QVERIFY(!out.contains(u'\\'));
        QVERIFY(out != "."_L1 && out != ".."_L1);
        QVERIFY(!out.startsWith(u'.'));
        QVERIFY(!out.endsWith(u'.') && !out.endsWith(u' '));
        QVERIFY(!hasBrokenSurrogate(out));
        QVERIFY(out.toUtf8().size() <= Share::DefaultMaxFileNameBytes);
        for (const char32_t c : out.toUcs4()) {
            QVERIFY2(c >= 0x20 && !(c >= 0x7F && c <= 0x9F), qPrintable(out));
            QVERIFY(!(c >= 0x202A && c <= 0x202E) && !(c >= 0x2066 && c <= 0x2069));
        }
        QVERIFY(!Share::isReservedDeviceName(out));
        QCOMPARE(Share::sanitizeFileName(out), out); // idempotent
    }

private Q_SLOTS:
    void sanitize_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"report.pdf"_s << u"report.pdf"_s;
        QTest::newRow("unix traversal") << u"../../etc/passwd"_s << u"passwd"_s;
        QTest::newRow("windows traversal")
                << u"..\\..\\windows\\system32\\cmd.exe"_s << u"cmd.exe"_s;
        QTest::newRow("absolute unix") << u"/etc/shadow"_s << u"shadow"_s;
        QTest::newRow("drive path") << u"C:\\Users\\x\\a.txt"_s << u"a.txt"_s;
        QTest::newRow("drive relative") << u"C:evil.txt"_s << u"C_evil.txt"_s;
        QTest::newRow("unc") << u"\\\\server\\share\\f.doc"_s << u"f.doc"_s;
        QTest::newRow("dotdot") << u".."_s << u"download"_s;
        QTest::newRow("dot") << u"."_s << u"download"_s;
        QTest::newRow("empty") << QString() << u"download"_s;
        QTest::newRow("blank") << u"   "_s << u"download"_s;
        QTest::newRow("dots") << u"....."_s << u"download"_s;
        QTest::newRow("slashes only") << u"///\\\\"_s << u"download"_s;
        QTest::newRow("trailing slash") << u"dir/"_s << u"dir"_s;
        QTest::newRow("ends in dotdot") << u"foo/.."_s << u"download"_s;
        QTest::newRow("mixed separators") << u"a/b\\c/../d.txt"_s << u"d.txt"_s;
        QTest::newRow("hidden") << u".bashrc"_s << u"bashrc"_s;
        QTest::newRow("dotdot prefix") << u"..hidden"_s << u"hidden"_s;
        QTest::newRow("dot space dot") << u". . .x"_s << u"x"_s;
        QTest::newRow("trailing dots spaces") << u"name. . ."_s << u"name"_s;
        QTest::newRow("trailing spaces") << u"trailing.txt   "_s << u"trailing.txt"_s;
        QTest::newRow("inner spaces kept") << u" spaced name .txt "_s << u"spaced name .txt"_s;
        QTest::newRow("nul") << u"a\0b.txt"_s << u"ab.txt"_s;
        QTest::newRow("c0") << u"tab\tname\n\r.txt"_s << u"tabname.txt"_s;
        QTest::newRow("escape") << u"\x1b[31mred.txt"_s << u"[31mred.txt"_s;
        QTest::newRow("del") << u"del\x7f.txt"_s << u"del.txt"_s;
        QTest::newRow("c1") << u"c1\u0085\u009b.txt"_s << u"c1.txt"_s;
        QTest::newRow("rlo") << u"invoice\u202Efdp.exe"_s << u"invoicefdp.exe"_s;
        QTest::newRow("lre pdf") << u"\u202Aa\u202Cb\u202D.txt"_s << u"ab.txt"_s;
        QTest::newRow("isolates") << u"\u2066iso\u2067\u2068\u2069.txt"_s << u"iso.txt"_s;
        QTest::newRow("marks") << u"a\u200Eb\u200F\u061C.txt"_s << u"ab.txt"_s;
        QTest::newRow("bom zwsp") << u"\uFEFFbom\u200B.txt"_s << u"bom.txt"_s;
        QTest::newRow("line separators") << u"a\u2028b\u2029.txt"_s << u"ab.txt"_s;
        QTest::newRow("windows forbidden") << u"a<b>c:d\"e|f?g*h.txt"_s << u"a_b_c_d_e_f_g_h.txt"_s;
        QTest::newRow("con") << u"CON"_s << u"_CON"_s;
        QTest::newRow("con ext") << u"con.txt"_s << u"_con.txt"_s;
        QTest::newRow("nul tar") << u"NUL.tar.gz"_s << u"_NUL.tar.gz"_s;
        QTest::newRow("com1") << u"Com1"_s << u"_Com1"_s;
        QTest::newRow("lpt9") << u"LPT9.log"_s << u"_LPT9.log"_s;
        QTest::newRow("com superscript") << u"COM\u00B9.txt"_s << u"_COM\u00B9.txt"_s;
        QTest::newRow("aux space") << u"aux "_s << u"_aux"_s;
        QTest::newRow("prn in path") << u"x/prn.doc"_s << u"_prn.doc"_s;
        QTest::newRow("conin") << u"CONIN$"_s << u"_CONIN$"_s;
        QTest::newRow("console ok") << u"CONSOLE.txt"_s << u"CONSOLE.txt"_s;
        QTest::newRow("com10 ok") << u"COM10"_s << u"COM10"_s;
        QTest::newRow("nfd to nfc") << u"e\u0301te.txt"_s << u"\u00E9te.txt"_s;
        QTest::newRow("cjk") << u"日本語.txt"_s << u"日本語.txt"_s;
        QTest::newRow("emoji") << u"emoji 😀.png"_s << u"emoji 😀.png"_s;
        QTest::newRow("zwj emoji kept") << u"👩\u200D💻.png"_s << u"👩\u200D💻.png"_s;
        QTest::newRow("lone high surrogate") << QString(QChar(0xD800)) + u"x.txt"_s << u"x.txt"_s;
        QTest::newRow("lone low surrogate") << u"x"_s + QChar(0xDC00) + u".txt"_s << u"x.txt"_s;
        QTest::newRow("noncharacter") << u"a\uFFFF\uFFFE.txt"_s << u"a.txt"_s;
        QTest::newRow("only controls") << u"\x01\x02\x03"_s << u"download"_s;
        QTest::newRow("only bidi") << u"\u202E\u2066"_s << u"download"_s;
        QTest::newRow("dotdot after filter") << u".\u202E."_s << u"download"_s;
    }

    void sanitize()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const QString out = Share::sanitizeFileName(input);
        QCOMPARE(out, expected);
        verifySafe(out);
    }

    void lengthIsLimited_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("ascii") << QString(300, u'a') + u".txt"_s << u".txt"_s;
        QTest::newRow("two byte") << QString(150, QChar(0x00E9)) + u".jpg"_s << u".jpg"_s;
        QTest::newRow("three byte") << QString(100, QChar(0x65E5)) + u".pdf"_s << u".pdf"_s;
        QString emoji;
        for (int i = 0; i < 80; ++i)
            emoji += u"😀"_s;
        QTest::newRow("four byte") << emoji + u".png"_s << u".png"_s;
        QTest::newRow("tarball") << QString(250, u'b') + u".tar.gz"_s << u".tar.gz"_s;
        QTest::newRow("long extension") << u"x."_s + QString(300, u'y') << QString();
        QTest::newRow("cut before spaces")
                << QString(195, u'c') + QString(20, u' ') + QString(20, u'd') + u".txt"_s
                << u".txt"_s;
    }

    void lengthIsLimited()
    {
        QFETCH(QString, input);
        QFETCH(QString, suffix);
        const QString out = Share::sanitizeFileName(input);
        QVERIFY(out.toUtf8().size() <= Share::DefaultMaxFileNameBytes);
        QVERIFY(out.toUtf8().size() > Share::DefaultMaxFileNameBytes - 8);
        QVERIFY(out.endsWith(suffix));
        QCOMPARE(QString::fromUtf8(out.toUtf8()), out);
        verifySafe(out);
    }

    void customLimit()
    {
        const QString out = Share::sanitizeFileName(u"abcdefghijklmnopqrstuvwxyz.txt"_s, 20);
        QCOMPARE(out, u"abcdefghijklmnop.txt"_s);
    }

    void reservedNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("reserved");
        for (const char *n : {"CON", "prn", "Aux", "nul", "COM0", "com9", "LPT1", "lpt5.txt",
                              "con.tar.gz", "NUL .txt", "CONOUT$"})
            QTest::newRow(n) << QString::fromLatin1(n) << true;
        for (const char *n : {"CONX", "COM", "LPT", "COM10", "xcon", "nul_", "CO N", "LPTA"})
            QTest::newRow(n) << QString::fromLatin1(n) << false;
    }

    void reservedNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, reserved);
        QCOMPARE(Share::isReservedDeviceName(name), reserved);
    }

    void splitExtension_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("stem");
        QTest::addColumn<QString>("ext");
        QTest::newRow("simple") << u"photo.jpg"_s << u"photo"_s << u".jpg"_s;
        QTest::newRow("none") << u"README"_s << u"README"_s << QString();
        QTest::newRow("dots") << u"a.b.c"_s << u"a.b"_s << u".c"_s;
        QTest::newRow("tar gz") << u"data.tar.gz"_s << u"data"_s << u".tar.gz"_s;
        QTest::newRow("TAR XZ") << u"DATA.TAR.XZ"_s << u"DATA"_s << u".TAR.XZ"_s;
        QTest::newRow("trailing dot") << u"odd."_s << u"odd."_s << QString();
        QTest::newRow("leading dot") << u".profile"_s << u".profile"_s << QString();
        QTest::newRow("too long") << u"a.verylongextensionname"_s << u"a.verylongextensionname"_s
                                  << QString();
    }

    void splitExtension()
    {
        QFETCH(QString, name);
        QFETCH(QString, stem);
        QFETCH(QString, ext);
        const auto [s, e] = Share::splitExtension(name);
        QCOMPARE(s, stem);
        QCOMPARE(e, ext);
    }

    void uniqueTargetPathNeverOverwrites()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QDir dir(tmp.path());
        auto touch = [&](const QString &name) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::NewOnly));
        };
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"a.txt"), dir.filePath(u"a.txt"_s));
        touch(u"a.txt"_s);
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"a.txt"), dir.filePath(u"a (1).txt"_s));
        touch(u"a (1).txt.part"_s); // a download in progress holds that name
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"a.txt"), dir.filePath(u"a (2).txt"_s));
        touch(u"b.part"_s);
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"b"), dir.filePath(u"b (1)"_s));
        QVERIFY(QFile::link(dir.filePath(u"nowhere"_s), dir.filePath(u"c.txt"_s)));
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"c.txt"), dir.filePath(u"c (1).txt"_s));
        QVERIFY(dir.mkdir(u"d.txt"_s));
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"d.txt"), dir.filePath(u"d (1).txt"_s));
        touch(u"data.tar.gz"_s);
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"data.tar.gz"),
                 dir.filePath(u"data (1).tar.gz"_s));
        // Names are sanitized first: the result stays inside the folder.
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u"../../x.txt"), dir.filePath(u"x.txt"_s));
        QCOMPARE(Share::uniqueTargetPath(tmp.path(), u""), dir.filePath(u"download"_s));

        for (int i = 0; i < 20; ++i) {
            const QString path = Share::uniqueTargetPath(tmp.path(), u"many.bin");
            QVERIFY(!QFileInfo::exists(path));
            QCOMPARE(QFileInfo(path).absolutePath(), QFileInfo(tmp.path()).absoluteFilePath());
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::NewOnly));
        }
        QVERIFY(dir.exists(u"many (19).bin"_s));
    }
};

QTEST_GUILESS_MAIN(TstSafeFileName)
#include "tst_safefilename.moc"
