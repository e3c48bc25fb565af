// A chunk whose SHA-256 does not match on the downloader (the uploader's test seam flips a
// byte in one block under a valid checksum) is discarded and fetched again; the file still
// arrives byte-identical. The same chunk failing three times fails the transfer clearly.
#include <tests/support/transferfixture.h>

#include <QTemporaryDir>

using namespace Transfer;
using namespace TransferTest;

class TestTransferRefetch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badChunkIsFetchedAgain_data();
    void badChunkIsFetchedAgain();
    void chunkFailingThreeTimesFailsTheTransfer();
    void goBackNFailsOnABadChunk();

private:
    struct Run
    {
        Outcome download;
        quint64 uploadRefetched = 0;
        QString destination;
        QByteArray sha;
    };
    // Downloads a fresh random file of `size` bytes from an uploader corrupting `chunk` in its
    // first `generations` sendings.
    static Run run(const QTemporaryDir &dir, int size, quint32 chunk, int generations, ArqMode mode,
                   const QString &impair);
};

TestTransferRefetch::Run TestTransferRefetch::run(const QTemporaryDir &dir, int size, quint32 chunk,
                                                  int generations, ArqMode mode,
                                                  const QString &impair)
{
    Run r;
    const QString source = dir.filePath(u"source.bin"_s);
    r.destination = dir.filePath(u"copy.bin"_s);
    r.sha = writeRandomFile(source, size, 77);
    Endpoint uploader;
    Endpoint downloader;
    if (!uploader.bind(QHostAddress::LocalHost, 0) || !downloader.bind(QHostAddress::LocalHost, 0))
        return r;
    if (!impair.isEmpty()) {
        QString error;
        if (const auto spec = ImpairmentSpec::parse(impair, &error))
            uploader.setImpairment(*spec);
    }
    uploader.corruptChunkForTesting(chunk, generations);
    connect(&uploader, &Endpoint::finished, &uploader,
            [&r](TransferId, const TransferResult &result) {
                r.uploadRefetched = result.stats.chunksRefetched;
            });
    const QByteArray token = uploader.issueUploadToken(FileOffer {source, quint64(size), r.sha});
    DownloadRequest request = TransferTest::request(uploader, token, source, r.sha, r.destination);
    request.options.mode = mode;
    const TransferId id = downloader.startDownload(request);
    Watcher w(downloader, id);
    if (QTest::qWaitFor([&w] { return w.outcome.done; }, 60000)
        && w.outcome.error == TransferError::None) {
        // The uploader finishes right after; the caller checks what it reported.
        [[maybe_unused]] const bool reported
                = QTest::qWaitFor([&r] { return r.uploadRefetched > 0; }, 5000);
    }
    r.download = w.outcome;
    return r;
}

void TestTransferRefetch::badChunkIsFetchedAgain_data()
{
    QTest::addColumn<quint32>("chunk");
    QTest::addColumn<QString>("impair");
    QTest::addRow("first-chunk") << quint32(0) << QString();
    // The last chunk: everything is acknowledged before the downloader finds the bad data,
    // so the uploader must wait for its word that all chunks verified.
    QTest::addRow("last-chunk") << quint32(2) << QString();
    // Lost REFETCHes, lost and duplicated copies of the old generation.
    QTest::addRow("middle-chunk-lossy") << quint32(1) << u"loss=5%,dup=2%,dir=both,seed=11"_s;
}

void TestTransferRefetch::badChunkIsFetchedAgain()
{
    QFETCH(quint32, chunk);
    QFETCH(QString, impair);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run r = run(dir, 2 * 1024 * 1024 + 5000, chunk, 1, ArqMode::SelectiveRepeat, impair);
    QVERIFY(r.download.done);
    QVERIFY2(r.download.error == TransferError::None, qPrintable(r.download.reason));
    QCOMPARE(fileSha(r.destination), r.sha);
    QVERIFY(r.download.result.stats.chunksRefetched >= 1);
    QVERIFY(r.uploadRefetched >= 1);
    QCOMPARE(r.download.result.totalBytes, quint64(2 * 1024 * 1024 + 5000));
}

void TestTransferRefetch::chunkFailingThreeTimesFailsTheTransfer()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run r = run(dir, 3 * 1024 * 1024, 1, 3, ArqMode::SelectiveRepeat, {});
    QVERIFY(r.download.done);
    QCOMPARE(r.download.error, TransferError::Verification);
    QVERIFY2(r.download.reason.contains(u"chunk 1"_s), qPrintable(r.download.reason));
    QVERIFY(!QFile::exists(r.destination));
}

void TestTransferRefetch::goBackNFailsOnABadChunk()
{
    // Go-Back-N does not negotiate re-fetching: a bad chunk fails the transfer as before.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run r = run(dir, 1024 * 1024 + 100, 0, 1, ArqMode::GoBackN, {});
    QVERIFY(r.download.done);
    QCOMPARE(r.download.error, TransferError::Verification);
}

QTEST_GUILESS_MAIN(TestTransferRefetch)
#include "tst_transferrefetch.moc"
