// Several downloads from one uploader to one downloader endpoint share one peer path on the
// uploader (one congestion controller, DRR turns): every file arrives byte-identical, and the
// transfers progress at about the same pace.
#include <tests/support/transferfixture.h>

#include <QTemporaryDir>

#include <map>

using namespace Transfer;
using namespace TransferTest;

namespace {

double jainIndex(const std::vector<double> &x)
{
    double sum = 0, squares = 0;
    for (double v : x) {
        sum += v;
        squares += v * v;
    }
    return squares > 0 ? sum * sum / (double(x.size()) * squares) : 0.0;
}

} // namespace

class TestTransferPaths : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void simultaneousDownloadsShareThePathFairly_data();
    void simultaneousDownloadsShareThePathFairly();
};

void TestTransferPaths::simultaneousDownloadsShareThePathFairly_data()
{
    QTest::addColumn<quint64>("uploadCap");
    QTest::addColumn<bool>("checkFairness");
    // Unlimited loopback can finish between two progress reports: integrity only.
    QTest::addRow("uncapped") << quint64(0) << false;
    // The endpoint's upload cap (shared by the path's pacer) makes the transfers last long
    // enough for several progress reports each, on an idle or a loaded machine alike.
    QTest::addRow("capped") << quint64(12 * 1024 * 1024) << true;
}

void TestTransferPaths::simultaneousDownloadsShareThePathFairly()
{
    QFETCH(quint64, uploadCap);
    QFETCH(bool, checkFairness);
    constexpr int kDownloads = 4;
    constexpr int kSize = 6 * 1024 * 1024 + 4321;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());

    Endpoint uploader;
    Endpoint downloader;
    QString error;
    QVERIFY2(uploader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY2(downloader.bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    if (uploadCap > 0)
        uploader.setUploadRateCap(uploadCap);

    // The uploader's view: bytes acknowledged per upload (progress ~4 Hz), frozen for all of
    // them when the first upload finishes.
    std::map<TransferId, quint64> acked;
    std::map<TransferId, quint64> atFirstFinish;
    // What the upload rate is read from: payload sent once, never behind the ACKs, never past
    // the file.
    QStringList badSentCounters;
    connect(&uploader, &Endpoint::progress, this, [&](const TransferStats &s) {
        if (s.direction != TransferDirection::Upload)
            return;
        acked[s.id] = std::max(acked[s.id], s.doneBytes);
        if (s.sentBytes < s.doneBytes || s.sentBytes > s.totalBytes)
            badSentCounters << u"%1 sent %2 acked %3"_s.arg(s.id).arg(s.sentBytes).arg(s.doneBytes);
    });
    connect(&uploader, &Endpoint::finished, this, [&](TransferId id, const TransferResult &r) {
        acked[id] = r.bytes;
        if (atFirstFinish.empty())
            atFirstFinish = acked;
    });

    std::vector<std::unique_ptr<Watcher>> watchers;
    std::vector<QString> destinations;
    std::vector<QByteArray> shas;
    for (int i = 0; i < kDownloads; ++i) {
        const QString source = dir.filePath(u"source%1.bin"_s.arg(i));
        const QString dest = dir.filePath(u"copy%1.bin"_s.arg(i));
        const QByteArray sha = writeRandomFile(source, kSize, quint32(100 + i));
        QVERIFY(!sha.isEmpty());
        const QByteArray token = uploader.issueUploadToken(FileOffer {source, quint64(kSize), sha});
        const TransferId id = downloader.startDownload(request(uploader, token, source, sha, dest));
        watchers.push_back(std::make_unique<Watcher>(downloader, id));
        destinations.push_back(dest);
        shas.push_back(sha);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(watchers.begin(), watchers.end(),
                                         [](const auto &w) { return w->outcome.done; }),
                             120000);
    QVERIFY2(badSentCounters.isEmpty(), qPrintable(badSentCounters.join(u", "_s)));
    QVERIFY(!acked.empty());
    for (int i = 0; i < kDownloads; ++i) {
        QVERIFY2(watchers[i]->outcome.error == TransferError::None,
                 qPrintable(watchers[i]->outcome.reason));
        QCOMPARE(fileSha(destinations[i]), shas[i]);
    }

    if (!checkFairness)
        return;
    // Fairness at the moment the first one finished. The others' figures are up to one
    // progress period old, which only lowers them: the bound is generous for that.
    QCOMPARE(int(atFirstFinish.size()), kDownloads);
    std::vector<double> bytes;
    for (const auto &[id, b] : atFirstFinish)
        bytes.push_back(double(b));
    const double jain = jainIndex(bytes);
    QString figures;
    for (double b : bytes)
        figures += QString::number(b / 1048576.0, 'f', 2) + u" MiB "_s;
    qInfo("bytes acknowledged when the first upload finished: %s(Jain %.3f)", qPrintable(figures),
          jain);
    QVERIFY2(jain > 0.9, qPrintable(figures));
}

QTEST_GUILESS_MAIN(TestTransferPaths)
#include "tst_transferpaths.moc"
