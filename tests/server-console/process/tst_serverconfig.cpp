#include <server-console/serverconfig.h>

#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
std::optional<Server::ServerConfig> parse(const QStringList &args, QString *error)
{
    QCommandLineParser parser;
    Server::ServerConfig::addOptions(parser);
    if (!parser.parse(QStringList {u"hopshare-server"_s} + args)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    return Server::ServerConfig::fromParser(parser, error);
}
} // namespace

class TestServerConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void presenceCoalescingFromFlagsAndFile()
    {
        QString error;
        const auto defaults = parse({}, &error);
        QVERIFY2(defaults, qPrintable(error));
        QCOMPARE(defaults->presenceCoalesceFrom, Server::ServerConfig {}.presenceCoalesceFrom);
        QCOMPARE(defaults->presenceWindowMs, Server::ServerConfig {}.presenceWindowMs);

        const auto flags = parse(
                {u"--presence-coalesce-from"_s, u"500"_s, u"--presence-window-ms"_s, u"0"_s},
                &error);
        QVERIFY2(flags, qPrintable(error));
        QCOMPARE(flags->presenceCoalesceFrom, 500);
        QCOMPARE(flags->presenceWindowMs, 0);

        QTemporaryDir dir;
        const QString file = dir.filePath(u"server.ini"_s);
        {
            QFile ini(file);
            QVERIFY(ini.open(QIODevice::WriteOnly));
            ini.write("[server]\npresence-coalesce-from=8\npresence-window-ms=250\n");
        }
        const auto fromFile
                = parse({u"--config"_s, file, u"--presence-window-ms"_s, u"40"_s}, &error);
        QVERIFY2(fromFile, qPrintable(error));
        QCOMPARE(fromFile->presenceCoalesceFrom, 8);
        QCOMPARE(fromFile->presenceWindowMs, 40); // the flag wins over the file
    }

    void presenceCoalescingRejectsNonsense_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addRow("zero members") << u"presence-coalesce-from"_s << u"0"_s;
        QTest::addRow("not a number") << u"presence-coalesce-from"_s << u"many"_s;
        QTest::addRow("negative window") << u"presence-window-ms"_s << u"-1"_s;
        QTest::addRow("window over ten seconds") << u"presence-window-ms"_s << u"10001"_s;
    }

    void presenceCoalescingRejectsNonsense()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QString error;
        QVERIFY(!parse({u"--"_s + option, value}, &error));
        QVERIFY2(error.contains(option) && error.contains(u"expected"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
