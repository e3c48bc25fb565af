// The downloader's chunk store: 64-bit offsets in a sparse .part, the journal of verified
// chunks, resume, torn journal tails and the disk-space check.
#include <transfer/connection/handshakecrypto.h>
#include <transfer/connection/tokenregistry.h>
#include <transfer/storage/chunkstore.h>
#include <transfer/storage/filelayout.h>

#include <crypto/sha256.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Transfer;
using namespace Qt::StringLiterals;

namespace {
QByteArray pattern(std::uint64_t length, char seed)
{
    QByteArray a(qsizetype(length), Qt::Uninitialized);
    for (qsizetype i = 0; i < a.size(); ++i)
        a[i] = char(seed + i * 7);
    return a;
}

std::span<const std::byte> bytes(const QByteArray &a)
{
    return {reinterpret_cast<const std::byte *>(a.constData()), std::size_t(a.size())};
}

Digest32 sha(const QByteArray &a)
{
    return Crypto::Sha256::hash(a);
}
} // namespace

class TestChunkStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesPast4GiBInSparseFile();
    void journalResumes();
    void tornJournalTailIsIgnored();
    void otherFileStartsOver();
    void refusesWhenDiskIsTooSmall();
    void missingRunsAreBounded();
    void tokensAreSingleUseAndExpire();
};

void TestChunkStore::writesPast4GiBInSparseFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"big.bin"_s);
    const std::uint64_t size = (4ull << 30) + 3 * kChunkSize + 12345; // > 4 GiB
    Digest32 fileSha {};
    ChunkStore store;
    QString error;
    QVERIFY2(store.open(path, size, fileSha, &error), qPrintable(error));
    QCOMPARE(store.chunkCount(), 4100ull);
    const std::uint32_t far = 4097; // starts at 4 GiB + 1 MiB
    const QByteArray data = pattern(kChunkSize, 'a');
    QVERIFY2(store.writeChunk(far, bytes(data), sha(data), &error), qPrintable(error));
    const std::uint32_t last = 4099;
    const QByteArray tail = pattern(chunkLength(last, size), 'z');
    QCOMPARE(tail.size(), 12345);
    QVERIFY(store.writeChunk(last, bytes(tail), sha(tail), &error));
    // A wrong length is refused rather than written at a wrong place.
    QVERIFY(!store.writeChunk(5, bytes(tail), sha(tail), &error));
    QCOMPARE(store.read(chunkOffset(far), kChunkSize), data);
    QCOMPARE(store.read((4ull << 30) + kChunkSize - 1, 1), QByteArray(1, '\0'));
    QCOMPARE(store.read(size - 12345, 12345), tail);
    QVERIFY(store.sync());
    QCOMPARE(QFile(store.partPath()).size(), qint64(size));
    store.close();

    ChunkStore again;
    QVERIFY(again.open(path, size, fileSha, &error));
    QVERIFY(again.hasChunk(far));
    QVERIFY(again.hasChunk(last));
    QVERIFY(!again.hasChunk(4096));
    QCOMPARE(again.presentChunks(), 2ull);
    QCOMPARE(again.presentBytes(), kChunkSize + 12345);
    QCOMPARE(again.read(chunkOffset(far) + 100, 10), data.mid(100, 10));
}

void TestChunkStore::journalResumes()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f.bin"_s);
    const std::uint64_t size = 3 * kChunkSize;
    Digest32 fileSha {};
    fileSha.fill(std::byte {1});
    QString error;
    {
        ChunkStore s;
        QVERIFY(s.open(path, size, fileSha, &error));
        const QByteArray c1 = pattern(kChunkSize, 'b');
        QVERIFY(s.writeChunk(1, bytes(c1), sha(c1), &error));
        // Not synced yet: the journal does not vouch for chunk 1 until close()/sync().
    }
    ChunkStore s;
    QVERIFY(s.open(path, size, fileSha, &error));
    QVERIFY(s.hasChunk(1));
    QVERIFY(!s.isComplete());
    const auto runs = s.missingRuns(16);
    QCOMPARE(runs.size(), 2u);
    QCOMPARE(runs[0].first, 0u);
    QCOMPARE(runs[1].first, 2u);
}

void TestChunkStore::tornJournalTailIsIgnored()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f.bin"_s);
    const std::uint64_t size = 2 * kChunkSize;
    Digest32 fileSha {};
    QString error;
    {
        ChunkStore s;
        QVERIFY(s.open(path, size, fileSha, &error));
        const QByteArray c0 = pattern(kChunkSize, 'c');
        QVERIFY(s.writeChunk(0, bytes(c0), sha(c0), &error));
        QVERIFY(s.sync());
        const QByteArray c1 = pattern(kChunkSize, 'd');
        QVERIFY(s.writeChunk(1, bytes(c1), sha(c1), &error));
    }
    // Tear the last record: a crash in the middle of the append.
    QFile j(path + u".part.journal"_s);
    QVERIFY(j.open(QIODevice::ReadWrite));
    QVERIFY(j.resize(j.size() - 3));
    j.close();
    ChunkStore s;
    QVERIFY(s.open(path, size, fileSha, &error));
    QVERIFY(s.hasChunk(0));
    QVERIFY(!s.hasChunk(1));
}

void TestChunkStore::otherFileStartsOver()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"f.bin"_s);
    Digest32 a {};
    Digest32 b {};
    b.fill(std::byte {2});
    QString error;
    {
        ChunkStore s;
        QVERIFY(s.open(path, kChunkSize, a, &error));
        const QByteArray c0 = pattern(kChunkSize, 'e');
        QVERIFY(s.writeChunk(0, bytes(c0), sha(c0), &error));
    }
    ChunkStore s;
    QVERIFY(s.open(path, kChunkSize, b, &error));
    QCOMPARE(s.presentChunks(), 0ull);
}

void TestChunkStore::refusesWhenDiskIsTooSmall()
{
    QTemporaryDir dir;
    ChunkStore s;
    QString error;
    const std::uint64_t huge = kMaxFileSize - kChunkSize; // ~4.5 TiB: more than this disk has
    QVERIFY(!s.open(dir.filePath(u"huge.bin"_s), huge, Digest32 {}, &error));
    QVERIFY2(error.contains(u"disk space"_s), qPrintable(error));
    QVERIFY(!QFile::exists(dir.filePath(u"huge.bin.part"_s)));
    QVERIFY(!s.open(dir.filePath(u"nodir/x.bin"_s), 10, Digest32 {}, &error));
}

void TestChunkStore::missingRunsAreBounded()
{
    QTemporaryDir dir;
    ChunkStore s;
    QString error;
    const std::uint64_t size = 200 * kChunkSize;
    QVERIFY(s.open(dir.filePath(u"r.bin"_s), size, Digest32 {}, &error));
    for (std::uint32_t c = 0; c < 200; c += 2)
        s.markPresentForTesting(c, 1);
    const auto all = s.missingRuns(1000);
    QCOMPARE(all.size(), 100u);
    const auto bounded = s.missingRuns(10);
    QCOMPARE(bounded.size(), 10u);
    // The last run stretches to the end so nothing missing is left out.
    QCOMPARE(bounded.back().first + bounded.back().count, 200u);
}

void TestChunkStore::tokensAreSingleUseAndExpire()
{
    TokenRegistry r;
    TokenBytes t {};
    t.fill(std::byte {7});
    TokenBytes other {};
    const TimePoint now = Clock::now();
    r.add(t, FileOffer {u"/x"_s, 1, {}}, now + std::chrono::seconds(1));
    QVERIFY(r.check(other, now) == TokenRegistry::Check::Unknown);
    QVERIFY(r.check(t, now + std::chrono::seconds(2)) == TokenRegistry::Check::Expired);
    QVERIFY(r.take(t, now));
    QVERIFY(r.check(t, now) == TokenRegistry::Check::Used);
    QVERIFY(!r.take(t, now));
    QVERIFY(r.tokenFor(tokenIdOf(t)));
    // Past its expiry a used token is forgotten with its id: nothing grows with downloads.
    r.purgeExpired(now + std::chrono::seconds(2));
    QCOMPARE(r.size(), 0);
    QVERIFY(!r.tokenFor(tokenIdOf(t)));
}

QTEST_GUILESS_MAIN(TestChunkStore)
#include "tst_chunkstore.moc"
