#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

// The translation catalogues hold every string the desktop client shows. lupdate is run by hand
// (the hopshare_gui_lupdate target); seven strings once went without it, and a German window
// showed them in English. Here lupdate scans the sources into copies of the catalogues: whatever it
// adds was missing, and every German entry must be translated.
class TestCatalogues : public QObject
{
    Q_OBJECT
private:
    struct Entry
    {
        QString context;
        QString source;
        bool unfinished = false;
    };

    static QList<Entry> read(const QString &path)
    {
        QList<Entry> entries;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return entries;
        QXmlStreamReader xml(&file);
        QString context;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"name")
                context = xml.readElementText();
            else if (xml.name() == u"source")
                entries.append({context, xml.readElementText()});
            else if (xml.name() == u"translation" && !entries.isEmpty())
                entries.last().unfinished = xml.attributes().value(u"type"_s) == u"unfinished"_s;
        }
        return xml.hasError() ? QList<Entry> {} : entries;
    }

    static QSet<QString> keys(const QList<Entry> &entries)
    {
        QSet<QString> out;
        for (const Entry &e : entries)
            out.insert(e.context % u" | "_s % e.source);
        return out;
    }

private Q_SLOTS:
    void everyShownStringIsInTheCatalogues_data()
    {
        QTest::addColumn<QString>("catalogue");
        QTest::addColumn<bool>("translated");
        QTest::newRow("en") << u"hopshare_en.ts"_s << false; // the sources' own language
        QTest::newRow("de") << u"hopshare_de.ts"_s << true;
    }
    void everyShownStringIsInTheCatalogues()
    {
        QFETCH(QString, catalogue);
        QFETCH(bool, translated);
        const QString original = QStringLiteral(HOPSHARE_TRANSLATIONS_DIR) + u'/' + catalogue;
        const QList<Entry> kept = read(original);
        QVERIFY2(!kept.isEmpty(), qPrintable(original));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString project = dir.filePath(u"project.json"_s);
        QProcess generate;
        generate.start(QStringLiteral(HOPSHARE_CMAKE),
                       {u"-DIN_FILE="_s + QStringLiteral(HOPSHARE_LUPDATE_PROJECT),
                        u"-DOUT_FILE="_s + project, u"-P"_s,
                        QStringLiteral(HOPSHARE_LUPDATE_PROJECT_SCRIPT)});
        QVERIFY(generate.waitForFinished(60'000));
        QVERIFY2(generate.exitCode() == 0, generate.readAllStandardError().constData());
        const QString copy = dir.filePath(catalogue);
        QVERIFY(QFile::copy(original, copy));
        QProcess lupdate;
        lupdate.start(QStringLiteral(HOPSHARE_LUPDATE),
                      {u"-project"_s, project, u"-no-obsolete"_s, u"-locations"_s, u"none"_s,
                       u"-ts"_s, copy});
        QVERIFY(lupdate.waitForFinished(120'000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());

        const QList<Entry> scanned = read(copy);
        QVERIFY(!scanned.isEmpty());
        const QStringList missing = (keys(scanned) - keys(kept)).values();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"not in %1 (the hopshare_gui_lupdate target adds them): %2"_s.arg(
                         catalogue, missing.join(u"; "_s))));
        const QStringList gone = (keys(kept) - keys(scanned)).values();
        QVERIFY2(gone.isEmpty(),
                 qPrintable(u"in %1 but no longer in the sources: %2"_s.arg(catalogue,
                                                                            gone.join(u"; "_s))));
        if (translated) {
            QStringList untranslated;
            for (const Entry &e : kept) {
                if (e.unfinished)
                    untranslated.append(e.context % u" | "_s % e.source);
            }
            QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(u"; "_s)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCatalogues)
#include "tst_catalogues.moc"
