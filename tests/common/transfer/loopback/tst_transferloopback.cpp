// Whole transfers between two endpoints on loopback, Selective Repeat and Go-Back-N, through
// the impairment layer: every file must arrive byte-identical before the deadline.
#include <tests/support/transferfixture.h>

#include <QTemporaryDir>

using namespace Transfer;
using namespace TransferTest;

class TestTransferLoopback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transfer_data();
    void transfer();
    void ackLossIsNotReadAsDataLoss_data();
    void ackLossIsNotReadAsDataLoss();
    void emptyAndTinyFiles();
    void portableSocketPath();
};

void TestTransferLoopback::transfer_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("impair");
    QTest::addColumn<int>("size");
    const struct
    {
        const char *name;
        const char *spec;
    } cases[] = {
            {"clean", ""},
            {"loss10", "loss=10%,dir=both,seed=3"},
            {"bursty", "loss=5%,burst=4,dir=both,seed=4"},
            {"reorder-dup", "reorder=5%,dup=2%,dir=both,seed=5"},
            {"corrupt", "corrupt=1%,dir=both,seed=6"},
            {"delay50", "delay=50ms,dir=both"},
            {"everything",
             "loss=5%,burst=2,reorder=5%,dup=2%,corrupt=1%,delay=20ms,jitter=2ms,"
             "dir=both,seed=7"},
    };
    for (const auto &c : cases) {
        QTest::addRow("sr-%s", c.name) << int(ArqMode::SelectiveRepeat)
                                       << QString::fromLatin1(c.spec) << 3 * 1024 * 1024 + 777;
        QTest::addRow("gbn-%s", c.name)
                << int(ArqMode::GoBackN) << QString::fromLatin1(c.spec)
                << (c.spec[0] ? 256 : 1024) * 1024 + 333; // GBN is slow under loss by design
    }
}

void TestTransferLoopback::transfer()
{
    QFETCH(int, mode);
    QFETCH(QString, impair);
    QFETCH(int, size);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString source = dir.filePath(u"source.bin"_s);
    const QString dest = dir.filePath(u"copy.bin"_s);
    const QByteArray sha = writeRandomFile(source, size, 42);
    QVERIFY(!sha.isEmpty());

    Endpoint uploader;
    Endpoint downloader;
    QString error;
    QVERIFY2(uploader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY2(downloader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    if (!impair.isEmpty()) {
        const auto spec = ImpairmentSpec::parse(impair, &error);
        QVERIFY2(spec, qPrintable(error));
        // Impairing the uploader both ways hits data and acknowledgements alike.
        uploader.setImpairment(*spec);
    }
    const QByteArray token = uploader.issueUploadToken(FileOffer {source, quint64(size), sha});
    DownloadRequest r = request(uploader, token, source, sha, dest);
    r.options.mode = ArqMode(mode);
    const TransferId id = downloader.startDownload(r);
    Watcher w(downloader, id);
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 60000);
    QVERIFY2(w.outcome.error == TransferError::None, qPrintable(w.outcome.reason));
    QCOMPARE(w.outcome.result.totalBytes, quint64(size));
    QVERIFY(!QFile::exists(dest + u".part"_s));
    QVERIFY(!QFile::exists(dest + u".part.journal"_s));
    QCOMPARE(QFile(dest).size(), qint64(size));
    QCOMPARE(fileSha(dest), sha);
    // Lost data was resent, and the downloader saw the resent units flagged as such.
    if (impair.contains(u"loss"_s))
        QVERIFY(w.outcome.result.stats.retransmissions > 0);
}

void TestTransferLoopback::ackLossIsNotReadAsDataLoss_data()
{
    QTest::addColumn<QString>("impair");
    QTest::newRow("10% of ACKs lost") << u"loss=10%,dir=in,seed=11"_s;
    QTest::newRow("30% of ACKs lost") << u"loss=30%,dir=in,seed=12"_s;
}

// Only the reverse path loses: every ACK repeats the SACK ranges, so a lost one costs nothing
// but a little delay, and no DATA is resent for it.
void TestTransferLoopback::ackLossIsNotReadAsDataLoss()
{
    QFETCH(QString, impair);
    QTemporaryDir dir;
    const QString source = dir.filePath(u"source.bin"_s);
    const QString dest = dir.filePath(u"copy.bin"_s);
    constexpr int kSize = 8 * 1024 * 1024;
    const QByteArray sha = writeRandomFile(source, kSize, 43);
    Endpoint uploader;
    Endpoint downloader;
    QVERIFY(uploader.bind(QHostAddress::LocalHost, 0));
    QVERIFY(downloader.bind(QHostAddress::LocalHost, 0));
    QString error;
    const auto spec = ImpairmentSpec::parse(impair, &error);
    QVERIFY2(spec, qPrintable(error));
    uploader.setImpairment(*spec); // inbound at the uploader: the ACKs (and HELLO retries)
    const QByteArray token = uploader.issueUploadToken(FileOffer {source, quint64(kSize), sha});
    const TransferId id = downloader.startDownload(request(uploader, token, source, sha, dest));
    Watcher w(downloader, id);
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 60000);
    QVERIFY2(w.outcome.error == TransferError::None, qPrintable(w.outcome.reason));
    QCOMPARE(fileSha(dest), sha);
    const TransferStats &s = w.outcome.result.stats;
    qInfo("%s: %llu of %llu DATA resent, %llu duplicates", qPrintable(impair),
          static_cast<unsigned long long>(s.retransmissions),
          static_cast<unsigned long long>(s.dataPackets),
          static_cast<unsigned long long>(s.duplicates));
    QVERIFY2(s.resentRatio() <= 0.02, qPrintable(QString::number(s.resentRatio())));
}

void TestTransferLoopback::emptyAndTinyFiles()
{
    QTemporaryDir dir;
    Endpoint uploader;
    Endpoint downloader;
    QVERIFY(uploader.bind(QHostAddress::LocalHost, 0));
    QVERIFY(downloader.bind(QHostAddress::LocalHost, 0));
    for (int size : {0, 1, 1176, 1177}) {
        const QString source = dir.filePath(u"s%1"_s.arg(size));
        const QString dest = dir.filePath(u"d%1"_s.arg(size));
        const QByteArray sha = writeRandomFile(source, size, quint32(size));
        const QByteArray token = uploader.issueUploadToken(FileOffer {source, quint64(size), sha});
        const TransferId id = downloader.startDownload(request(uploader, token, source, sha, dest));
        Watcher w(downloader, id);
        QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 20000);
        QVERIFY2(w.outcome.error == TransferError::None, qPrintable(w.outcome.reason));
        QCOMPARE(fileSha(dest), sha);
    }
}

void TestTransferLoopback::portableSocketPath()
{
    QTemporaryDir dir;
    const QString source = dir.filePath(u"s.bin"_s);
    const QString dest = dir.filePath(u"d.bin"_s);
    const QByteArray sha = writeRandomFile(source, 2 * 1024 * 1024, 9);
    Endpoint uploader;
    Endpoint downloader;
    QString error;
    QVERIFY(uploader.bind(QHostAddress::LocalHost, 0, Endpoint::BindOptions {false}, &error));
    QVERIFY(downloader.bind(QHostAddress::LocalHost, 0, Endpoint::BindOptions {false}, &error));
    const QByteArray token
            = uploader.issueUploadToken(FileOffer {source, quint64(2 * 1024 * 1024), sha});
    const TransferId id = downloader.startDownload(request(uploader, token, source, sha, dest));
    Watcher w(downloader, id);
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 30000);
    QVERIFY2(w.outcome.error == TransferError::None, qPrintable(w.outcome.reason));
    QCOMPARE(fileSha(dest), sha);
}

QTEST_GUILESS_MAIN(TestTransferLoopback)
#include "tst_transferloopback.moc"
