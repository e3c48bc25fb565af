// FileHasher: the whole-file SHA-256 built up while the verified prefix of a file grows must
// equal the SHA-256 of the finished file, however the prefix grows and whenever take() is
// called (slices still running, results not yet delivered).
#include <transfer/storage/filehasher.h>

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
    void chunksInMemoryAreHashedWithoutReading_data();
    void chunksInMemoryAreHashedWithoutReading();
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

void TestFileHasher::chunksInMemoryAreHashedWithoutReading_data()
{
    QTest::addColumn<bool>("inOrder");
    QTest::newRow("in order") << true;
    // Reversed: all but the first chunk wait in memory (up to the cap) until the prefix moves.
    QTest::newRow("reversed, beyond the cache") << false;
}

void TestFileHasher::chunksInMemoryAreHashedWithoutReading()
{
    QFETCH(bool, inOrder);
    constexpr qsizetype kChunk = 1024 * 1024;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("file.part"));
    // More chunks than the cache holds, and a short last chunk.
    const qsizetype size = qsizetype(FileHasher::kCacheBytes) + 8 * kChunk + 777;
    QByteArray content(size, Qt::Uninitialized);
    QRandomGenerator gen(11);
    gen.fillRange(reinterpret_cast<quint32 *>(content.data()), content.size() / 4);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(content), content.size());
    f.close();

    const int chunks = int((size + kChunk - 1) / kChunk);
    FileHasher hasher(path);
    std::vector<bool> have(std::size_t(chunks), false);
    std::uint64_t prefix = 0;
    for (int step = 0; step < chunks; ++step) {
        const int chunk = inOrder ? step : (step == 0 ? 0 : chunks - step);
        const qsizetype offset = qsizetype(chunk) * kChunk;
        hasher.addChunk(std::uint64_t(offset), content.mid(offset, kChunk));
        have[std::size_t(chunk)] = true;
        while (prefix < std::uint64_t(chunks) && have[std::size_t(prefix)])
            ++prefix;
        hasher.advanceTo(std::min<std::uint64_t>(prefix * kChunk, std::uint64_t(size)));
        QTest::qWait(1);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
            hasher.bytesFromMemory() + hasher.bytesFromFile() == std::uint64_t(size), 10000);
    if (inOrder) {
        QCOMPARE(hasher.bytesFromMemory(), std::uint64_t(size));
    } else {
        // The capped cache held the last chunks; those in between were read back.
        QVERIFY(hasher.bytesFromMemory() > 0);
        QVERIFY(hasher.bytesFromFile() > 0);
    }
    FileHasher::State state = hasher.take();
    QVERIFY(state.sha);
    QCOMPARE(state.hashed, std::uint64_t(size));
    QVERIFY(state.sha->finish() == Crypto::Sha256::hash(content));
}

QTEST_GUILESS_MAIN(TestFileHasher)
#include "tst_filehasher.moc"
