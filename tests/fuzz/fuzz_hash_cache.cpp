// The share index's hash cache file (Share::HashCache::fromJson, what load() reads): a file in
// the user's data directory that may be damaged, truncated or edited.
// Input: the file's contents. Invariants: what loads is bounded by MaxEntries, saves (toJson)
// to contents that load to the same entries, and every entry can be looked up as stored.
#include <tests/fuzz/fuzzsupport.h>

#include <share/hashcache.h>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    qsizetype skipped = 0;
    const Share::HashCache cache
            = Share::HashCache::fromJson(Fuzz::bytes(data, size), &error, &skipped);
    FUZZ_CHECK(cache.size() <= Share::HashCache::MaxEntries);
    FUZZ_CHECK(skipped >= 0);
    const QByteArray saved = cache.toJson();
    QString again;
    qsizetype skippedAgain = -1;
    const Share::HashCache reloaded = Share::HashCache::fromJson(saved, &again, &skippedAgain);
    FUZZ_CHECK(again.isEmpty() && skippedAgain == 0);
    FUZZ_CHECK(reloaded.size() == cache.size());
    FUZZ_CHECK(reloaded.toJson().size() == saved.size());
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    Share::HashCache cache;
    Crypto::Sha256::Digest digest {};
    digest.fill(std::byte {0xab});
    cache.insert(u"/home/alice/share/a.iso"_s, {734003200, 1764763200000, digest});
    digest.fill(std::byte {0x01});
    cache.insert(u"/home/alice/share/docs/r\u00e9sum\u00e9.pdf"_s, {20480, 1700000000000, digest});
    Share::HashCache one;
    one.insert(u"/srv/x"_s, {0, 0, digest});
    const QByteArray full = cache.toJson();
    return {
            {u"two-entries"_s, full},
            {u"one-entry"_s, one.toJson()},
            {u"empty"_s, Share::HashCache().toJson()},
            {u"wrong-version"_s, QByteArray(full).replace("\"version\":1", "\"version\":2")},
            {u"truncated"_s, full.left(full.size() / 2)},
    };
}
