// A rate cap holds from the first packet on, whatever the ACKs do: late, jittered or lost
// acknowledgements make the sender probe, and probes carry data too. At every progress report
// the payload sent a first time stays within cap x connection age plus one burst, and the
// file arrives intact.
#include <tests/support/transferfixture.h>

#include <QTemporaryDir>

using namespace Transfer;
using namespace TransferTest;

class TestTransferRateCap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sentPayloadNeverRunsAheadOfTheCap_data();
    void sentPayloadNeverRunsAheadOfTheCap();
};

void TestTransferRateCap::sentPayloadNeverRunsAheadOfTheCap_data()
{
    QTest::addColumn<bool>("endpointCap"); // the uploader's global cap, else the transfer's own
    QTest::addColumn<QString>("ackImpairment"); // on the downloader's outbound datagrams
    QTest::addRow("endpoint cap, ACKs late and jittered")
            << true << u"delay=20ms,jitter=40ms,seed=3,dir=out"_s;
    QTest::addRow("endpoint cap, 30 %% of ACKs lost") << true << u"loss=30%,seed=5,dir=out"_s;
    QTest::addRow("transfer cap, ACKs late and jittered")
            << false << u"delay=20ms,jitter=40ms,seed=7,dir=out"_s;
}

void TestTransferRateCap::sentPayloadNeverRunsAheadOfTheCap()
{
    QFETCH(bool, endpointCap);
    QFETCH(QString, ackImpairment);
    constexpr quint64 kCap = 256 * 1024;
    constexpr qint64 kSize = 1024 * 1024 + 777;
    // The cap's bucket starts with a burst of two datagrams, and a send may leave it one
    // datagram in debt: four datagrams of slack.
    constexpr double kSlackBytes = 4.0 * double(kMaxDatagramSize);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString source = dir.filePath(u"capped.bin"_s);
    const QString dest = dir.filePath(u"copy.bin"_s);
    const QByteArray sha = writeRandomFile(source, kSize, 21);
    QVERIFY(!sha.isEmpty());

    Endpoint uploader;
    Endpoint downloader;
    QString error;
    QVERIFY2(uploader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY2(downloader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    const auto impairment = ImpairmentSpec::parse(ackImpairment, &error);
    QVERIFY2(impairment, qPrintable(error));
    downloader.setImpairment(*impairment);
    if (endpointCap)
        uploader.setUploadRateCap(kCap);

    QStringList aheadOfCap;
    int reports = 0;
    quint64 lastSent = 0;
    connect(&uploader, &Endpoint::progress, this, [&](const TransferStats &s) {
        if (s.direction != TransferDirection::Upload || s.ageUs == 0)
            return;
        ++reports;
        lastSent = s.sentBytes;
        const double allowed = double(kCap) * double(s.ageUs) / 1e6 + kSlackBytes;
        if (double(s.sentBytes) > allowed)
            aheadOfCap << u"%1 B sent at %2 ms (allowed %3)"_s.arg(s.sentBytes)
                                  .arg(s.ageUs / 1000)
                                  .arg(qint64(allowed));
    });

    DownloadRequest r = request(uploader, uploader.issueUploadToken({source, quint64(kSize), sha}),
                                source, sha, dest);
    if (!endpointCap)
        r.options.rateCap = kCap;
    const TransferId id = downloader.startDownload(r);
    Watcher watcher(downloader, id);
    QTRY_VERIFY_WITH_TIMEOUT(watcher.outcome.done, 60000);
    QVERIFY2(watcher.outcome.error == TransferError::None, qPrintable(watcher.outcome.reason));
    QCOMPARE(fileSha(dest), sha);
    // Progress is reported about four times a second: a 4 s transfer gives several readings.
    QVERIFY2(reports >= 4, qPrintable(QString::number(reports)));
    QVERIFY(lastSent > 0);
    QVERIFY2(aheadOfCap.isEmpty(), qPrintable(aheadOfCap.join(u"; "_s)));
    const double seconds = watcher.outcome.result.seconds;
    qInfo("%.2f s for %lld bytes: %.0f KiB/s on a %llu KiB/s cap, %d readings", seconds,
          qint64(kSize), double(kSize) / seconds / 1024.0, kCap / 1024, reports);
}

QTEST_GUILESS_MAIN(TestTransferRateCap)
#include "tst_transferratecap.moc"
