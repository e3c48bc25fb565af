#include <bench/chatdrivers.h>
#include <bench/chattargets.h>
#include <bench/cliutil.h>
#include <bench/concurrencysweep.h>
#include <bench/loadgen.h>
#include <bench/plotter.h>
#include <bench/results.h>
#include <bench/tcpbaseline.h>
#include <bench/testfile.h>
#include <bench/transfersweep.h>

#include <protocol/messagecodec.h>

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestBench : public QObject
{
    Q_OBJECT

private slots:
    void parseEndpoint_data();
    void parseEndpoint();
    void parseSize();
    void jainIndex();
    void resultTableWritesCsvAndJson();
    void plotIsRendered();
    void tcpLoopbackVerifies();
    void sweepImpairsDataPathOnly();
    void chatStampParsesAndRejects();
    void ircDriverJoinsAnswersPingAndSkipsNoise();
    void hopshareDriverReadsSplitFramesWithoutGatheringLists_data();
    void hopshareDriverReadsSplitFramesWithoutGatheringLists();
    void ngircdConfigTurnsLimitsOff();
};

void TestBench::parseEndpoint_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("ipv4") << u"10.77.0.1:9000"_s << true << u"10.77.0.1"_s << 9000;
    QTest::newRow("ipv6") << u"[::1]:0"_s << true << u"::1"_s << 0;
    QTest::newRow("no port") << u"10.77.0.1"_s << false << QString() << 0;
    QTest::newRow("bad port") << u"10.77.0.1:70000"_s << false << QString() << 0;
    QTest::newRow("name") << u"localhost:9000"_s << false << QString() << 0;
    QTest::newRow("empty") << QString() << false << QString() << 0;
}

void TestBench::parseEndpoint()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QString error;
    const auto endpoint = Bench::parseEndpoint(text, &error);
    QCOMPARE(endpoint.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QFETCH(QString, address);
    QFETCH(int, port);
    QCOMPARE(endpoint->address, QHostAddress(address));
    QCOMPARE(int(endpoint->port), port);
}

void TestBench::parseSize()
{
    QString error;
    QCOMPARE(Bench::parseSize(u"16MiB"_s, &error), std::optional<std::int64_t>(16 << 20));
    QCOMPARE(Bench::parseSize(u"1000"_s, &error), std::optional<std::int64_t>(1000));
    QVERIFY(!Bench::parseSize(u"0"_s, &error));
    QVERIFY(!Bench::parseSize(u"16 parsecs"_s, &error));
    QVERIFY(error.contains(u"parsecs"_s));
}

void TestBench::jainIndex()
{
    QCOMPARE(Bench::ConcurrencySweep::jainIndex({5, 5, 5, 5}), 1.0);
    QCOMPARE(Bench::ConcurrencySweep::jainIndex({8, 0, 0, 0}), 0.25);
    QCOMPARE(Bench::ConcurrencySweep::jainIndex({}), 0.0);
    const double mixed = Bench::ConcurrencySweep::jainIndex({1, 2, 3});
    QVERIFY(mixed > 0.85 && mixed < 0.86); // 36 / (3 * 14)
}

void TestBench::resultTableWritesCsvAndJson()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Bench::ResultTable table({u"name"_s, u"value"_s, u"ok"_s});
    table.addRow({{u"name"_s, u"plain"_s}, {u"value"_s, 1.5}, {u"ok"_s, true}});
    table.addRow({{u"name"_s, u"a, \"quoted\""_s}, {u"value"_s, 42}, {u"ok"_s, false}});
    table.setMeta({{u"benchmark"_s, u"unit"_s}});
    QString error;
    QVERIFY2(table.writeCsv(dir.filePath(u"t.csv"_s), &error), qPrintable(error));
    QVERIFY2(table.writeJson(dir.filePath(u"t.json"_s), &error), qPrintable(error));

    QFile csv(dir.filePath(u"t.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()),
             u"name,value,ok\nplain,1.500,yes\n\"a, \"\"quoted\"\"\",42,no\n"_s);
    QFile json(dir.filePath(u"t.json"_s));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(json.readAll()).object();
    QCOMPARE(root.value(u"benchmark"_s).toString(), u"unit"_s);
    QCOMPARE(root.value(u"rows"_s).toArray().size(), 2);
    QCOMPARE(root.value(u"rows"_s).toArray().at(1).toObject().value(u"value"_s).toInt(), 42);
    QVERIFY(table.toText().contains(u"plain"_s));
    QVERIFY(!table.writeCsv(dir.filePath(u"missing/dir/t.csv"_s), &error));
}

void TestBench::plotIsRendered()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Bench::PlotSpec spec {u"title"_s, u"x"_s,
                          u"y"_s,     {{u"a"_s, {0, 1, 2}, {3, 2, 1}}, {u"b"_s, {0, 2}, {1, 1}}},
                          2.5,        u"reference"_s};
    QString error;
    const QString path = dir.filePath(u"p.png"_s);
    QVERIFY2(Bench::Plotter::savePng(spec, path, &error), qPrintable(error));
    const QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 400 && image.height() > 300);

    // A log axis leaves out the zero of a failed point instead of failing to draw.
    spec.logY = true;
    spec.series[0].y = {0, 10, 1000};
    QVERIFY2(Bench::Plotter::savePng(spec, dir.filePath(u"log.png"_s), &error), qPrintable(error));
    QVERIFY(!QImage(dir.filePath(u"log.png"_s)).isNull());
}

void TestBench::tcpLoopbackVerifies()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    const QString file = dir.filePath(u"in.bin"_s);
    const auto sha = Bench::makeTestFile(file, 3 * 1024 * 1024 + 17, 5, &error);
    QVERIFY2(sha.has_value(), qPrintable(error));
    QCOMPARE(Bench::sha256Hex(file, &error), sha);
    const Bench::Measurement m = Bench::TcpBaseline().runLoopback(file, dir.filePath(u"out"_s));
    QVERIFY2(m.verified, qPrintable(m.error));
    QCOMPARE(m.bytes, 3 * 1024 * 1024 + 17);
    QCOMPARE(m.sha256, *sha);
    QCOMPARE(Bench::sha256Hex(dir.filePath(u"out"_s), &error), sha);
    QVERIFY(m.seconds > 0);

    // A congestion control the kernel does not know is an error, not a silent default.
    const Bench::Measurement bad
            = Bench::TcpBaseline(u"no-such-cc"_s).runLoopback(file, dir.filePath(u"out2"_s));
    QVERIFY(!bad.verified);
    QVERIFY(bad.error.contains(u"TCP_CONGESTION"_s));
}

void TestBench::sweepImpairsDataPathOnly()
{
    const auto o = Bench::TransferSweep::optionsFor(5, true, 3, 20, 9);
    QCOMPARE(o.dataPath.loss, 0.05);
    QCOMPARE(o.dataPath.burst, 3.0);
    QCOMPARE(o.ackPath.loss, 0.0);
    QCOMPARE(o.dataPath.delay + o.ackPath.delay, std::chrono::microseconds(20ms));
    QVERIFY(o.dataPath.seed != o.ackPath.seed);
    const auto clean = Bench::TransferSweep::optionsFor(0, false, 3, 0, 1);
    QVERIFY(!clean.dataPath.isActive());
    QVERIFY(!clean.ackPath.isActive());
}

void TestBench::chatStampParsesAndRejects()
{
    int sender = -1;
    int64_t stamp = 0;
    const std::string good = "7 123456789";
    QVERIFY(Bench::Gen::parseStamp(good.data(), good.data() + good.size(), &sender, &stamp));
    QCOMPARE(sender, 7);
    QCOMPARE(stamp, int64_t(123456789));
    for (const std::string bad : {"", "7", "7 ", "x 1", "7x1"})
        QVERIFY(!Bench::Gen::parseStamp(bad.data(), bad.data() + bad.size(), &sender, &stamp));
}

void TestBench::ircDriverJoinsAnswersPingAndSkipsNoise()
{
    Bench::Gen::IrcDriver driver("#bench", "");
    Bench::Gen::Generator gen(driver, 1, nullptr);
    Bench::Gen::Conn c; // never opened: replies stay in c.out
    c.index = 3;
    QCOMPARE(driver.greeting(c), std::string("NICK m3\r\nUSER u3 0 * :bench\r\n"));
    driver.consume(c, gen,
                   ":srv 001 m3 :Welcome\r\nPING :abc\r\n:srv 353 m3 = #bench :m1 m2\r\n"
                   ":m9!u@h JOIN #bench\r\n\r\n:\r\n:x 36\r\ngarbage without end");
    QCOMPARE(c.out, std::string("JOIN #bench\r\nPONG :abc\r\n"));
    QCOMPARE(gen.joined.load(), int64_t(0));
    QCOMPARE(std::string(c.in, c.inOffset), std::string("garbage without end"));
    driver.consume(c, gen, "\r\n:srv 366 m3 #bench :End of NAMES list\r\n");
    QCOMPARE(gen.joined.load(), int64_t(1));
    QVERIFY(c.joined);
}

void TestBench::hopshareDriverReadsSplitFramesWithoutGatheringLists_data()
{
    QTest::addColumn<int>("readSize");
    for (const int size : {1, 3, 4, 5, 11, 1000, 65536, 1 << 24})
        QTest::addRow("%d", size) << size;
}

void TestBench::hopshareDriverReadsSplitFramesWithoutGatheringLists()
{
    QFETCH(int, readSize);
    Bench::Gen::HopshareDriver driver({}, "r");
    Bench::Gen::Generator gen(driver, 1, nullptr);
    gen.startPhase({}, Bench::Gen::SendMode::Idle, 1, 0, 0, -1); // counts messages from here
    const auto member = [](int i) {
        return Protocol::MemberInfo {
                u"s/%1"_s.arg(i), u"m%1"_s.arg(i), {}, u"s"_s, QByteArray(32, char(i))};
    };
    Protocol::Joined list {u"r"_s, {}};
    for (int i = 0; i < 5000; ++i)
        list.members.append(member(i));
    const auto say = [&](const QString &text) {
        return Protocol::encodeMessageFrame(Protocol::ChatMessage {u"r"_s, member(1), {}, text, 1});
    };
    QByteArray stream = say(u"~B4 100"_s) + Protocol::encodeMessageFrame(list)
            + Protocol::encodeMessageFrame(Protocol::MemberJoined {u"r"_s, member(7)})
            + say(u"~B5 200"_s) + say(u"not a bench message"_s) + say(u"~B6 300"_s);
    QVERIFY(stream.size() > 200'000); // the list spans many reads of every size below
    Bench::Gen::Conn c;
    size_t mostCarried = 0;
    for (qsizetype at = 0; at < stream.size(); at += readSize) {
        const qsizetype n = std::min<qsizetype>(readSize, stream.size() - at);
        driver.consume(c, gen, std::string_view(stream.constData() + at, size_t(n)));
        mostCarried = std::max(mostCarried, c.in.size());
    }
    QVERIFY(c.joined);
    QCOMPARE(gen.joined.load(), int64_t(1));
    QCOMPARE(gen.delivered.load(), int64_t(3)); // the three stamped messages, whatever the split
    QVERIFY(c.in.empty());
    QCOMPARE(c.skip, size_t(0));
    QVERIFY2(mostCarried < 1000, "a member list was gathered instead of skipped");
}

void TestBench::ngircdConfigTurnsLimitsOff()
{
    const QString conf
            = Bench::ngircdConfig(6667, 6697, QStringLiteral("/c.pem"), QStringLiteral("/k.pem"));
    for (const char *line :
         {"Ports = 6667", "MaxConnectionsIP = 0", "MaxPenaltyTime = 0", "MaxJoins = 0", "DNS = no",
          "Ident = no", "[SSL]", "CertFile = /c.pem", "Ports = 6697"})
        QVERIFY2(conf.contains(QLatin1StringView(line)), line);
    QVERIFY(!Bench::ngircdConfig(6667, 0, {}, {}).contains(QLatin1StringView("[SSL]")));
}

QTEST_MAIN(TestBench)
#include "tst_bench.moc"
