#include <share/searchpattern.h>
#include <share/shareindex.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Share::ShareIndex;
using Share::UploadResolution;

namespace {

constexpr int ScanTimeoutMs = 15000;

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

bool setMtime(const QString &path, const QDateTime &when)
{
    QFile f(path);
    return f.open(QIODevice::ReadWrite) && f.setFileTime(when, QFileDevice::FileModificationTime);
}

QString hexOf(const QString &path)
{
    const auto d = Crypto::Sha256::hashFile(path);
    return d ? QString::fromLatin1(Crypto::Sha256::toHex(*d)) : QString();
}

std::optional<Share::SharedFile> byRelativePath(const ShareIndex &index, const QString &rel)
{
    for (const Share::SharedFile &f : index.files())
        if (f.relativePath == rel)
            return f;
    return std::nullopt;
}

} // namespace

class TstShareIndex : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_root;
    QString m_outside;
    QString m_cacheFile;

    std::unique_ptr<ShareIndex> makeIndex()
    {
        auto index = std::make_unique<ShareIndex>(m_cacheFile);
        index->setRescanDelay(20ms);
        return index;
    }

    // Shares the root and waits for the first complete scan.
    [[nodiscard]] bool shareAndWait(ShareIndex &index, const QString &path)
    {
        QSignalSpy finished(&index, &ShareIndex::scanFinished);
        if (!index.addPath(path))
            return false;
        return finished.wait(ScanTimeoutMs) && !index.isScanning();
    }

    [[nodiscard]] static bool rescanAndWait(ShareIndex &index)
    {
        QSignalSpy finished(&index, &ShareIndex::scanFinished);
        index.rescan();
        // A watcher-triggered scan may already run; wait until the index is idle again.
        return finished.wait(ScanTimeoutMs)
                && QTest::qWaitFor([&] { return !index.isScanning(); }, ScanTimeoutMs);
    }

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        const QDir base(QFileInfo(m_tmp->path()).canonicalFilePath());
        m_root = base.filePath(u"shared"_s);
        m_outside = base.filePath(u"outside"_s);
        m_cacheFile = base.filePath(u"cache/hashes.json"_s);
        QVERIFY(writeFile(m_root + u"/a.txt"_s, "alpha"));
        QVERIFY(writeFile(m_root + u"/sub/b.bin"_s, QByteArray(3 << 20, 'b'))); // several chunks
        QVERIFY(writeFile(m_root + u"/sub/deeper/c.txt"_s, "gamma"));
        QVERIFY(writeFile(m_root + u"/empty.txt"_s, QByteArray()));
        QVERIFY(writeFile(m_root + u"/.hidden"_s, "not shared"));
        QVERIFY(writeFile(m_root + u"/.git/config"_s, "not shared either"));
        QVERIFY(writeFile(m_root + u"/sub/movie.mkv.part"_s, "unfinished download"));
        QVERIFY(writeFile(m_outside + u"/secret.txt"_s, "top secret"));
    }

    void cleanup() { m_tmp.reset(); }

    void indexesNestedTree()
    {
        auto index = makeIndex();
        QSignalSpy indexed(index.get(), &ShareIndex::fileIndexed);
        QSignalSpy progress(index.get(), &ShareIndex::hashingProgress);
        QSignalSpy changed(index.get(), &ShareIndex::indexChanged);
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->sharedPaths(), QStringList {m_root});
        QCOMPARE(index->fileCount(), 4);
        QCOMPARE(indexed.count(), 4);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(index->hashesComputed(), 4u);
        QVERIFY(!progress.isEmpty());
        const QList<QVariant> last = progress.last();
        QCOMPARE(last.at(0).toInt(), 4);
        QCOMPARE(last.at(1).toInt(), 4);
        QCOMPARE(last.at(2).toLongLong(), qint64(5 + (3 << 20) + 5));
        QCOMPARE(last.at(3).toLongLong(), qint64(5 + (3 << 20) + 5));

        const QStringList expected {u"a.txt"_s, u"empty.txt"_s, u"sub/b.bin"_s,
                                    u"sub/deeper/c.txt"_s};
        QStringList seen;
        for (const Share::SharedFile &f : index->files()) {
            seen.append(f.relativePath);
            const QString abs = m_root + u'/' + f.relativePath;
            QCOMPARE(f.sha256Hex(), hexOf(abs));
            QCOMPARE(f.size, QFileInfo(abs).size());
            QCOMPARE(f.name, QFileInfo(abs).fileName());
            QCOMPARE(f.modified, QFileInfo(abs).lastModified().toUTC());
            QVERIFY(Share::isFileId(f.id));
            QCOMPARE(index->findById(f.id), f);
            QVERIFY(index->findBySha256(f.sha256Hex()).has_value());
            QCOMPARE(index->findBySha256(f.sha256Hex().toUpper())->sha256, f.sha256);
        }
        QCOMPARE(seen, expected);
        QVERIFY(!index->findById(u"0123456789abcdef").has_value());
        QVERIFY(!index->findBySha256(u"zz").has_value());
    }

    void idsAreStableAndDistinct()
    {
        QVERIFY(writeFile(m_root + u"/copy/a.txt"_s, "alpha")); // same bytes, other place
        QStringList first;
        {
            auto index = makeIndex();
            QVERIFY(shareAndWait(*index, m_root));
            for (const auto &f : index->files())
                first.append(f.id);
        }
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QStringList second;
        for (const auto &f : index->files())
            second.append(f.id);
        QCOMPARE(second, first);
        const auto a = byRelativePath(*index, u"a.txt"_s);
        const auto copy = byRelativePath(*index, u"copy/a.txt"_s);
        QVERIFY(a && copy);
        QCOMPARE(a->sha256, copy->sha256);
        QVERIFY(a->id != copy->id);
    }

    void cacheAvoidsRehashing()
    {
        {
            auto index = makeIndex();
            QVERIFY(shareAndWait(*index, m_root));
            QCOMPARE(index->hashesComputed(), 4u);
        }
        QVERIFY(QFileInfo::exists(m_cacheFile));
        auto index = makeIndex();
        QSignalSpy indexed(index.get(), &ShareIndex::fileIndexed);
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->fileCount(), 4);
        QCOMPARE(indexed.count(), 4);
        QCOMPARE(index->hashesComputed(), 0u);
        const auto b = byRelativePath(*index, u"sub/b.bin"_s);
        QVERIFY(b);
        QCOMPARE(b->sha256Hex(), hexOf(m_root + u"/sub/b.bin"_s));
    }

    void damagedCacheIsIgnored()
    {
        QVERIFY(writeFile(m_cacheFile, "{ this is not json"));
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->hashesComputed(), 4u);
        QCOMPARE(index->fileCount(), 4);
        QVERIFY(writeFile(m_cacheFile, R"({"format":"hopshare-hash-cache","version":1,
            "files":[{"path":"relative","size":1,"mtime":1,"sha256":"00"},7,null,
                     {"path":"/x","size":-5,"mtime":1,"sha256":"00"}]})"));
        QCOMPARE(Share::HashCache::load(m_cacheFile).size(), 0);
    }

    void modifiedFileIsRehashed()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        const auto before = byRelativePath(*index, u"a.txt"_s);
        QVERIFY(before);
        const quint64 hashed = index->hashesComputed();

        // Same size, different bytes: only the modification time tells.
        const QString path = m_root + u"/a.txt"_s;
        QVERIFY(writeFile(path, "ALPHA"));
        QVERIFY(setMtime(path, before->modified.addSecs(7)));
        QVERIFY(rescanAndWait(*index));
        const auto after = byRelativePath(*index, u"a.txt"_s);
        QVERIFY(after);
        QCOMPARE(after->sha256Hex(), hexOf(path));
        QVERIFY(after->sha256 != before->sha256);
        QVERIFY(after->id != before->id);
        QVERIFY(!index->findById(before->id));
        QCOMPARE(index->hashesComputed(), hashed + 1);
        QCOMPARE(index->resolveForUpload(before->id).status, UploadResolution::Status::NotFound);
        QVERIFY(index->resolveForUpload(after->id).ok());
    }

    void deletedFileDisappears()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        const auto c = byRelativePath(*index, u"sub/deeper/c.txt"_s);
        QVERIFY(c);
        QSignalSpy removed(index.get(), &ShareIndex::fileRemoved);
        QVERIFY(QFile::remove(m_root + u"/sub/deeper/c.txt"_s));
        // Before any rescan the entry is still listed, but it can no longer be served.
        QCOMPARE(index->resolveForUpload(c->id).status, UploadResolution::Status::Gone);
        QTRY_COMPARE_WITH_TIMEOUT(index->fileCount(), 3, ScanTimeoutMs);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().first().toString(), c->id);
        QVERIFY(!index->findById(c->id));
    }

    void watcherPicksUpNewFiles()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QSignalSpy indexed(index.get(), &ShareIndex::fileIndexed);
        QVERIFY(writeFile(m_root + u"/sub/deeper/new.txt"_s, "fresh"));
        QTRY_COMPARE_WITH_TIMEOUT(index->fileCount(), 5, ScanTimeoutMs);
        QCOMPARE(indexed.count(), 1);
        QCOMPARE(indexed.first().first().value<Share::SharedFile>().relativePath,
                 u"sub/deeper/new.txt"_s);
    }

    void symlinksOutOfRootAreNotIndexed()
    {
        QVERIFY(QFile::link(m_outside + u"/secret.txt"_s, m_root + u"/link.txt"_s));
        QVERIFY(QFile::link(m_outside, m_root + u"/outdir"_s));
        QVERIFY(QFile::link(m_root, m_root + u"/sub/loop"_s));
        QVERIFY(QFile::link(m_root + u"/a.txt"_s, m_root + u"/sub/alias.txt"_s));
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QVERIFY(!byRelativePath(*index, u"link.txt"_s));
        QVERIFY(!byRelativePath(*index, u"outdir/secret.txt"_s));
        QVERIFY(index->search(u"secret", 10).isEmpty());
        QVERIFY(index->lastScanSummary().skippedOutside >= 1);
        // A symlink that stays inside the root is shared; it serves the target's bytes.
        const auto alias = byRelativePath(*index, u"sub/alias.txt"_s);
        QVERIFY(alias);
        const UploadResolution r = index->resolveForUpload(alias->id);
        QVERIFY(r.ok());
        QCOMPARE(r.path, m_root + u"/a.txt"_s);
        QCOMPARE(index->fileCount(), 5);
    }

    void swappedForSymlinkIsRefused()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        const auto a = byRelativePath(*index, u"a.txt"_s);
        const auto c = byRelativePath(*index, u"sub/deeper/c.txt"_s);
        QVERIFY(a && c);
        QVERIFY(index->resolveForUpload(a->id).ok());

        QVERIFY(QFile::remove(m_root + u"/a.txt"_s));
        QVERIFY(QFile::link(m_outside + u"/secret.txt"_s, m_root + u"/a.txt"_s));
        UploadResolution r = index->resolveForUpload(a->id);
        QCOMPARE(r.status, UploadResolution::Status::OutsideRoot);
        QVERIFY(r.path.isEmpty());

        // A folder on the way swapped for a symlink to a look-alike tree outside.
        QVERIFY(writeFile(m_outside + u"/deeper/c.txt"_s, "gamma"));
        QVERIFY(QDir(m_root + u"/sub/deeper"_s).removeRecursively());
        QVERIFY(QFile::link(m_outside + u"/deeper"_s, m_root + u"/sub/deeper"_s));
        r = index->resolveForUpload(c->id);
        QCOMPARE(r.status, UploadResolution::Status::OutsideRoot);
        QVERIFY(r.path.isEmpty());
        QVERIFY(r.file.sha256 == c->sha256);
    }

    void resolveRejectsBadKeys_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("status");
        const int invalid = int(UploadResolution::Status::InvalidKey);
        const int notFound = int(UploadResolution::Status::NotFound);
        QTest::newRow("empty") << QString() << invalid;
        QTest::newRow("name") << u"a.txt"_s << invalid;
        QTest::newRow("relative") << u"sub/b.bin"_s << invalid;
        QTest::newRow("traversal") << u"../outside/secret.txt"_s << invalid;
        QTest::newRow("dotdot") << u".."_s << invalid;
        QTest::newRow("absolute") << u"/etc/passwd"_s << invalid;
        QTest::newRow("windows") << u"..\\..\\secret.txt"_s << invalid;
        QTest::newRow("upper id") << u"0123456789ABCDEF"_s << invalid;
        QTest::newRow("id with nul") << u"0123456789abcde\0"_s << invalid;
        QTest::newRow("short hex") << u"0123456789abcde"_s << invalid;
        QTest::newRow("63 hex") << QString(63, u'a') << invalid;
        QTest::newRow("65 hex") << QString(65, u'a') << invalid;
        QTest::newRow("64 non hex") << QString(63, u'a') + u'g' << invalid;
        QTest::newRow("unknown id") << u"0123456789abcdef"_s << notFound;
        QTest::newRow("unknown sha") << QString(64, u'0') << notFound;
    }

    void resolveRejectsBadKeys()
    {
        QFETCH(QString, key);
        QFETCH(int, status);
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        const UploadResolution r = index->resolveForUpload(key);
        QCOMPARE(int(r.status), status);
        QVERIFY(r.path.isEmpty());
        QCOMPARE(Share::uploadStatusName(r.status),
                 status == int(UploadResolution::Status::InvalidKey) ? "invalid-key"_L1
                                                                     : "not-found"_L1);
    }

    void resolveByIdAndDigest()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        const auto b = byRelativePath(*index, u"sub/b.bin"_s);
        QVERIFY(b);
        const QString expected = m_root + u"/sub/b.bin"_s;
        QCOMPARE(index->resolveForUpload(b->id).path, expected);
        QCOMPARE(index->resolveForUpload(b->sha256Hex()).path, expected);
        QCOMPARE(index->resolveForUpload(b->sha256Hex().toUpper()).path, expected);
        // Touched since indexing: the digest may no longer describe the bytes.
        QVERIFY(setMtime(expected, b->modified.addSecs(-60)));
        QCOMPARE(index->resolveForUpload(b->id).status, UploadResolution::Status::Gone);
        QCOMPARE(index->resolveForUpload(b->sha256Hex()).status, UploadResolution::Status::Gone);
    }

    void search_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("substring")
                << u"holiday"_s << QStringList {u"Holiday Photo.JPG"_s, u"holiday/beach.jpg"_s};
        QTest::newRow("case") << u"HOLIDAY"_s
                              << QStringList {u"Holiday Photo.JPG"_s, u"holiday/beach.jpg"_s};
        QTest::newRow("glob ext") << u"*.jpg"_s
                                  << QStringList {u"Holiday Photo.JPG"_s, u"holiday/beach.jpg"_s};
        QTest::newRow("glob anchored") << u"*.jp"_s << QStringList {};
        QTest::newRow("folder substring")
                << u"docs/"_s << QStringList {u"docs/Report 2024.pdf"_s, u"docs/notes.txt"_s};
        QTest::newRow("glob path") << u"docs/*.txt"_s << QStringList {u"docs/notes.txt"_s};
        QTest::newRow("question") << u"?otes.txt"_s << QStringList {u"docs/notes.txt"_s};
        QTest::newRow("two terms") << u"report pdf"_s << QStringList {u"docs/Report 2024.pdf"_s};
        QTest::newRow("terms and") << u"report txt"_s << QStringList {};
        QTest::newRow("glob and term") << u"*.jpg beach"_s << QStringList {u"holiday/beach.jpg"_s};
        QTest::newRow("unicode fold") << u"ÉTÉ"_s << QStringList {u"été.txt"_s};
        QTest::newRow("emoji question") << u"?.png"_s << QStringList {u"😀.png"_s};
        QTest::newRow("star all") << u"*"_s
                                  << QStringList {u"Holiday Photo.JPG"_s, u"docs/Report 2024.pdf"_s,
                                                  u"docs/notes.txt"_s,    u"holiday/beach.jpg"_s,
                                                  u"été.txt"_s,           u"😀.png"_s};
        QTest::newRow("no match") << u"zzz"_s << QStringList {};
        QTest::newRow("empty") << QString() << QStringList {};
        QTest::newRow("blank") << u" \t "_s << QStringList {};
        QTest::newRow("too long") << QString(300, u'a') << QStringList {};
        QTest::newRow("too many terms") << u"a b c d e f g h i"_s << QStringList {};
    }

    void search()
    {
        QFETCH(QString, pattern);
        QFETCH(QStringList, expected);
        QDir(m_root).removeRecursively();
        for (const QString &rel :
             {u"Holiday Photo.JPG"_s, u"holiday/beach.jpg"_s, u"docs/Report 2024.pdf"_s,
              u"docs/notes.txt"_s, u"été.txt"_s, u"😀.png"_s})
            QVERIFY(writeFile(m_root + u'/' + rel, rel.toUtf8()));
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QStringList got;
        for (const auto &f : index->search(pattern, 100))
            got.append(f.relativePath);
        QCOMPARE(got, expected);
    }

    void searchIsLimited()
    {
        auto index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->search(u"*", 2).size(), 2);
        QCOMPARE(index->search(u"*", 0).size(), 0);
        QCOMPARE(index->search(u"*", -1).size(), 0);
        QCOMPARE(index->search(u"*", 1).first().relativePath, u"a.txt"_s);
    }

    void globMatch()
    {
        QVERIFY(Share::globMatch(u"a*b?c", u"axxxbyc"));
        QVERIFY(Share::globMatch(u"**", u""));
        QVERIFY(!Share::globMatch(u"?", u""));
        QVERIFY(!Share::globMatch(u"a*", u"ba"));
        QVERIFY(Share::globMatch(u"*a*a*a*a*b", QString(QString(40, u'a') + u'b')));
        QVERIFY(!Share::globMatch(u"*a*a*a*a*b", QString(2000, u'a')));
    }

    void fileChangedWhileHashingIsHashedAgain()
    {
        const QString path = m_root + u"/sub/b.bin"_s; // three chunks
        Share::ShareScanner scanner;
        int calls = 0;
        scanner.setChunkObserver([&](const QString &p) {
            if (p == path && ++calls == 1)
                QVERIFY(writeFile(path, QByteArray(2 << 20, 'z')));
        });
        QSignalSpy scanned(&scanner, &Share::ShareScanner::fileScanned);
        QSignalSpy finished(&scanner, &Share::ShareScanner::scanFinished);
        scanner.scan(1, {Share::ShareRoot {m_root, false}}, Share::HashCache {});
        QCOMPARE(finished.count(), 1);
        const auto summary = finished.first().at(1).value<Share::ScanSummary>();
        QCOMPARE(summary.notHashed, 0);
        QCOMPARE(summary.logicalPaths.size(), 4);
        bool seen = false;
        for (const QList<QVariant> &args : std::as_const(scanned)) {
            const auto f = args.at(1).value<Share::ScannedFile>();
            if (f.found.logicalPath != path)
                continue;
            seen = true;
            QCOMPARE(f.found.size, qint64(2 << 20));
            QCOMPARE(QString::fromLatin1(Crypto::Sha256::toHex(f.sha256)), hexOf(path));
        }
        QVERIFY(seen);
        QVERIFY(calls > 3);
    }

    void fileThatKeepsChangingIsLeftOut()
    {
        const QString path = m_root + u"/sub/b.bin"_s;
        Share::ShareScanner scanner;
        scanner.setChunkObserver([&](const QString &p) {
            if (p != path)
                return;
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            QCOMPARE(f.write("+"), 1);
        });
        QSignalSpy scanned(&scanner, &Share::ShareScanner::fileScanned);
        QSignalSpy finished(&scanner, &Share::ShareScanner::scanFinished);
        scanner.scan(1, {Share::ShareRoot {m_root, false}}, Share::HashCache {});
        QCOMPARE(finished.count(), 1);
        const auto summary = finished.first().at(1).value<Share::ScanSummary>();
        QCOMPARE(summary.notHashed, 1);
        QVERIFY(!summary.logicalPaths.contains(path));
        QCOMPARE(scanned.count(), 3);
    }

    void cancelledScanReportsNothing()
    {
        Share::ShareScanner scanner;
        QSignalSpy finished(&scanner, &Share::ShareScanner::scanFinished);
        scanner.cancelBefore(5);
        scanner.scan(4, {Share::ShareRoot {m_root, false}}, Share::HashCache {});
        QCOMPARE(finished.count(), 0);
        scanner.scan(5, {Share::ShareRoot {m_root, false}}, Share::HashCache {});
        QCOMPARE(finished.count(), 1);
    }

    void hashCacheRoundTrip()
    {
        Share::HashCache cache;
        const auto digest = Crypto::Sha256::hash("x");
        cache.insert(u"/data/a"_s, {10, 1234, digest});
        cache.insert(u"/data/ab/c"_s, {0, 1, digest});
        cache.insert(u"/other"_s, {1, 2, digest});
        QVERIFY(cache.save(m_cacheFile));
        Share::HashCache loaded = Share::HashCache::load(m_cacheFile);
        QCOMPARE(loaded.size(), 3);
        QCOMPARE(loaded.lookup(u"/data/a"_s, 10, 1234), std::optional(digest));
        QVERIFY(!loaded.lookup(u"/data/a"_s, 11, 1234));
        QVERIFY(!loaded.lookup(u"/data/a"_s, 10, 1235));
        QCOMPARE(loaded.removeUnder(u"/data/a"_s), 1); // not "/data/ab/c"
        QVERIFY(loaded.contains(u"/data/ab/c"_s));
        QCOMPARE(loaded.removeUnder(u"/data"_s), 1);
        QCOMPARE(loaded.size(), 1);
        QVERIFY(Share::HashCache::load(m_cacheFile + u".missing"_s).size() == 0);
    }

    void hashCacheFromBytes()
    {
        Share::HashCache cache;
        const auto digest = Crypto::Sha256::hash("y");
        cache.insert(u"/data/a"_s, {10, 1234, digest});
        cache.insert(u"/data/b"_s, {20, 5678, digest});
        QString error;
        qsizetype skipped = -1;
        const Share::HashCache parsed
                = Share::HashCache::fromJson(cache.toJson(), &error, &skipped);
        QVERIFY(error.isEmpty());
        QCOMPARE(skipped, 0);
        QCOMPARE(parsed.size(), 2);
        QCOMPARE(parsed.lookup(u"/data/b"_s, 20, 5678), std::optional(digest));
        // One good entry and two bad ones: the good one loads, the bad ones are counted.
        const QByteArray mixed = "{\"format\":\"hopshare-hash-cache\",\"version\":1,\"files\":["
                                 "{\"path\":\"/ok\",\"size\":1,\"mtime\":2,\"sha256\":\""
                + Crypto::Sha256::toHex(digest)
                + "\"},{\"path\":\"relative\",\"size\":1,\"mtime\":2,\"sha256\":\"00\"},7]}";
        const Share::HashCache some = Share::HashCache::fromJson(mixed, &error, &skipped);
        QCOMPARE(some.size(), 1);
        QCOMPARE(skipped, 2);
        QVERIFY(Share::HashCache::fromJson("\xff{[", &error).size() == 0);
        QVERIFY(!error.isEmpty());
    }

    void pathInside_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("root");
        QTest::addColumn<bool>("inside");
        QTest::newRow("same") << u"/a/b"_s << u"/a/b"_s << true;
        QTest::newRow("child") << u"/a/b/c"_s << u"/a/b"_s << true;
        QTest::newRow("sibling prefix") << u"/a/bc"_s << u"/a/b"_s << false;
        QTest::newRow("parent") << u"/a"_s << u"/a/b"_s << false;
        QTest::newRow("filesystem root") << u"/x"_s << u"/"_s << true;
        QTest::newRow("empty root") << u"/x"_s << QString() << false;
        QTest::newRow("empty path") << QString() << u"/a"_s << false;
    }

    void pathInside()
    {
        QFETCH(QString, path);
        QFETCH(QString, root);
        QFETCH(bool, inside);
        QCOMPARE(Share::isPathInside(path, root), inside);
    }

    void destroyWhileScanning()
    {
        QVERIFY(writeFile(m_root + u"/sub/large.bin"_s, QByteArray(48 << 20, 'L')));
        auto index = makeIndex();
        QSignalSpy progress(index.get(), &ShareIndex::hashingProgress);
        QVERIFY(index->addPath(m_root));
        QVERIFY(progress.wait(ScanTimeoutMs));
        QVERIFY(index->isScanning());
        index.reset(); // cancels the scanner and joins its thread; ASan checks the teardown
        // Whatever was hashed before the cancel is reused, the rest hashed, by the next index.
        index = makeIndex();
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->fileCount(), 5);
        QVERIFY(index->hashesComputed() >= 1);
    }

    void rootsAddAndRemove()
    {
        auto index = makeIndex();
        QVERIFY(!index->addPath(m_root + u"/does-not-exist"_s));
        QVERIFY(shareAndWait(*index, m_root + u"/sub"_s));
        QCOMPARE(index->fileCount(), 2);
        QVERIFY(shareAndWait(*index, m_outside + u"/secret.txt"_s));
        QCOMPARE(index->fileCount(), 3);
        QVERIFY(byRelativePath(*index, u"secret.txt"_s));
        QVERIFY(!index->addPath(m_root + u"/sub/deeper"_s)); // already covered
        QVERIFY(!index->addPath(m_outside + u"/secret.txt"_s));

        // Sharing the parent replaces the nested root.
        QVERIFY(shareAndWait(*index, m_root));
        QCOMPARE(index->sharedPaths().size(), 2);
        QCOMPARE(index->fileCount(), 5);
        QVERIFY(byRelativePath(*index, u"sub/b.bin"_s));

        const auto secret = byRelativePath(*index, u"secret.txt"_s);
        QVERIFY(secret);
        QSignalSpy removed(index.get(), &ShareIndex::fileRemoved);
        QVERIFY(index->removePath(m_outside + u"/secret.txt"_s));
        QVERIFY(!index->removePath(m_outside + u"/secret.txt"_s));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(index->fileCount(), 4);
        QCOMPARE(index->resolveForUpload(secret->id).status, UploadResolution::Status::NotFound);
        QCOMPARE(index->resolveForUpload(secret->sha256Hex()).status,
                 UploadResolution::Status::NotFound);
        QTRY_VERIFY_WITH_TIMEOUT(!index->isScanning(), ScanTimeoutMs);
        QCOMPARE(index->fileCount(), 4);
    }
};

QTEST_GUILESS_MAIN(TstShareIndex)
#include "tst_shareindex.moc"
