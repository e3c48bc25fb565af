// FileHasher: the whole-file SHA-256 built up while the verified prefix of a file grows must
// equal the SHA-256 of the finished file, however the prefix grows and whenever take() is
// called (slices still running, results not yet delivered).
#include <transfer/filehasher.h>

#include <crypto/sha256.h>

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Transfer;

namespace {

std::optional<Crypto::Sha256::Digest> finishHash(const QString &path, FileHasher::State state)
{
    if (!state.sha)
        return std::nullopt;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(qint64(state.hashed)))
        return std::nullopt;
    state.sha->addData(f.readAll());
    return state.sha->finish();
}

} // namespace

class TestFileHasher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prefixHashEqualsFileHash_data();
    void prefixHashEqualsFileHash();
    void unreadableFileGivesNoState();
};

void TestFileHasher::prefixHashEqualsFileHash_data()
{
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("waitMs");
    QTest::newRow("one step, taken at once") << 1 << 0;
    QTest::newRow("many steps, no waiting") << 40 << 0;
    QTest::newRow("many steps, event loop between") << 40 << 2;
    // Negative: block without an event loop, so slices finish but are not yet delivered.
    QTest::newRow("many steps, undelivered results") << 10 << -20;
}

void TestFileHasher::prefixHashEqualsFileHash()
{
    QFETCH(int, steps);
    QFETCH(int, waitMs);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("file.part"));
    // 20 MiB + a bit: more than two slices, not a multiple of anything.
    QByteArray content(20 * 1024 * 1024 + 12345, Qt::Uninitialized);
    QRandomGenerator gen(7);
    gen.fillRange(reinterpret_cast<quint32 *>(content.data()), content.size() / 4);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(content), content.size());
    f.close();

    FileHasher hasher(path);
    for (int i = 1; i <= steps; ++i) {
        hasher.advanceTo(std::uint64_t(content.size()) * std::uint64_t(i) / std::uint64_t(steps)
                         - (i == steps ? 0 : 100));
        if (waitMs > 0)
            QTest::qWait(waitMs);
        else if (waitMs < 0)
            QThread::msleep(unsigned(-waitMs));
    }
    FileHasher::State state = hasher.take();
    QVERIFY(state.sha);
    QVERIFY(state.hashed <= std::uint64_t(content.size()));
    const auto digest = finishHash(path, std::move(state));
    QVERIFY(digest);
    QVERIFY(*digest == Crypto::Sha256::hash(content));
    // Finished deliveries arriving after take() change nothing.
    QTest::qWait(10);
}

void TestFileHasher::unreadableFileGivesNoState()
{
    FileHasher hasher(QStringLiteral("/nonexistent/dir/file.part"));
    hasher.advanceTo(4096);
    QTest::qWait(20);
    QVERIFY(!hasher.take().sha);
}

QTEST_GUILESS_MAIN(TestFileHasher)
#include "tst_filehasher.moc"
