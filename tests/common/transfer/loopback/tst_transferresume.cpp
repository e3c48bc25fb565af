// Interrupted downloads resume from their verified chunks: after the uploader disappears
// half-way, from a second uploader offering the same content, and with nothing left to fetch.
#include <tests/support/transferfixture.h>

#include <QTemporaryDir>

#include <memory>

using namespace Transfer;
using namespace TransferTest;

namespace {
constexpr qint64 kSize = 4 * 1024 * 1024 + 4321;
// Slow enough that the download is still running when the test interrupts it.
constexpr quint64 kCap = 4 * 1024 * 1024;
} // namespace

class TestTransferResume : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resumesAfterUploaderDies();
    void resumesFromSecondUploader();
    void completePartNeedsNoPeer();
};

void TestTransferResume::resumesAfterUploaderDies()
{
    QTemporaryDir dir;
    const QString source = dir.filePath(u"s.bin"_s);
    const QString dest = dir.filePath(u"d.bin"_s);
    const QByteArray sha = writeRandomFile(source, kSize, 11);
    Endpoint downloader;
    QVERIFY(downloader.bind(QHostAddress::LocalHost, 0));
    auto uploader = std::make_unique<Endpoint>();
    QVERIFY(uploader->bind(QHostAddress::LocalHost, 0));
    DownloadRequest r = request(*uploader, uploader->issueUploadToken({source, kSize, sha}), source,
                                sha, dest);
    r.options.rateCap = kCap;
    r.options.idleTimeout = std::chrono::milliseconds(400);
    const TransferId first = downloader.startDownload(r);
    Watcher w1(downloader, first);
    QTRY_VERIFY_WITH_TIMEOUT(w1.lastStats.doneBytes >= 2 * 1024 * 1024 || w1.outcome.done, 20000);
    QVERIFY2(!w1.outcome.done, "the download ended before it could be interrupted");
    uploader.reset(); // the uploading process is gone, without a goodbye
    QTRY_VERIFY_WITH_TIMEOUT(w1.outcome.done, 10000);
    QVERIFY(w1.outcome.error == TransferError::PeerGone);
    QVERIFY(QFile::exists(dest + u".part"_s));
    QVERIFY(QFile::exists(dest + u".part.journal"_s));
    QVERIFY(!QFile::exists(dest));

    Endpoint again;
    QVERIFY(again.bind(QHostAddress::LocalHost, 0));
    r.port = again.localPort();
    r.token = again.issueUploadToken({source, kSize, sha});
    r.options.rateCap = 0;
    const TransferId second = downloader.startDownload(r);
    Watcher w2(downloader, second);
    QTRY_VERIFY_WITH_TIMEOUT(w2.outcome.done, 20000);
    QVERIFY2(w2.outcome.error == TransferError::None, qPrintable(w2.outcome.reason));
    // Only what was missing travelled the second time.
    QVERIFY(w2.outcome.result.bytes > 0);
    QVERIFY(w2.outcome.result.bytes <= quint64(kSize) - 2 * 1024 * 1024);
    QCOMPARE(fileSha(dest), sha);
    QVERIFY(!QFile::exists(dest + u".part.journal"_s));
}

void TestTransferResume::resumesFromSecondUploader()
{
    QTemporaryDir dir;
    const QString sourceA = dir.filePath(u"a.bin"_s);
    const QString sourceB = dir.filePath(u"b.bin"_s);
    const QString dest = dir.filePath(u"d.bin"_s);
    const QByteArray sha = writeRandomFile(sourceA, kSize, 12);
    QCOMPARE(writeRandomFile(sourceB, kSize, 12), sha); // same content, another peer
    Endpoint a;
    Endpoint b;
    Endpoint downloader;
    QVERIFY(a.bind(QHostAddress::LocalHost, 0));
    QVERIFY(b.bind(QHostAddress::LocalHost, 0));
    QVERIFY(downloader.bind(QHostAddress::LocalHost, 0));
    DownloadRequest r = request(a, a.issueUploadToken({sourceA, kSize, sha}), sourceA, sha, dest);
    r.options.rateCap = kCap;
    const TransferId first = downloader.startDownload(r);
    Watcher w1(downloader, first);
    QTRY_VERIFY_WITH_TIMEOUT(w1.lastStats.doneBytes >= 1024 * 1024 || w1.outcome.done, 20000);
    QVERIFY(!w1.outcome.done);
    downloader.cancel(first);
    QTRY_VERIFY_WITH_TIMEOUT(w1.outcome.done, 5000);
    QVERIFY(w1.outcome.error == TransferError::Cancelled);

    r.port = b.localPort();
    r.token = b.issueUploadToken({sourceB, kSize, sha});
    r.options.rateCap = 0;
    const TransferId second = downloader.startDownload(r);
    Watcher w2(downloader, second);
    QTRY_VERIFY_WITH_TIMEOUT(w2.outcome.done, 20000);
    QVERIFY2(w2.outcome.error == TransferError::None, qPrintable(w2.outcome.reason));
    QVERIFY(w2.outcome.result.bytes <= quint64(kSize) - 1024 * 1024);
    QCOMPARE(fileSha(dest), sha);
}

void TestTransferResume::completePartNeedsNoPeer()
{
    QTemporaryDir dir;
    const QString source = dir.filePath(u"s.bin"_s);
    const QString dest = dir.filePath(u"d.bin"_s);
    const QByteArray sha = writeRandomFile(source, 3 * 1024 * 1024, 13);
    Endpoint up;
    Endpoint down;
    QVERIFY(up.bind(QHostAddress::LocalHost, 0));
    QVERIFY(down.bind(QHostAddress::LocalHost, 0));
    const TransferId id = down.startDownload(
            request(up, up.issueUploadToken({source, 3 * 1024 * 1024, sha}), source, sha, dest));
    Watcher w(down, id);
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 20000);
    QVERIFY(w.outcome.error == TransferError::None);
    // A wrong whole-file hash is caught even when every chunk matched the uploader's hashes.
    QByteArray wrong = sha;
    wrong[0] = char(wrong[0] ^ 1);
    const QString dest2 = dir.filePath(u"d2.bin"_s);
    const TransferId bad = down.startDownload(request(
            up, up.issueUploadToken({source, 3 * 1024 * 1024, wrong}), source, wrong, dest2));
    Watcher wb(down, bad);
    QTRY_VERIFY_WITH_TIMEOUT(wb.outcome.done, 20000);
    QVERIFY(wb.outcome.error == TransferError::Verification);
    QVERIFY(!QFile::exists(dest2));
}

QTEST_GUILESS_MAIN(TestTransferResume)
#include "tst_transferresume.moc"
