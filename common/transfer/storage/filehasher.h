#pragma once
// The downloader's whole-file SHA-256, computed while the download runs. Chunks arrive out of
// order, but the verified prefix [0, n) of the .part only grows; each time it does, a worker
// (QtConcurrent) feeds the new part to one running SHA-256. When the last chunk lands only the
// tail is left to hash, instead of the whole file: at a few hundred MB/s re-hashing a 256 MiB
// file took ~0.2 s, a fifth of the transfer.
//
// The bytes come from the chunks just verified and written (addChunk(), kept in memory until
// hashed, up to kCacheBytes) and otherwise are read back from the file: resumed chunks, and
// chunks that came too far ahead of the prefix to be kept. Reading every chunk back cost a
// 1 MiB page-cache copy per chunk on the receiver's two-core budget; the memory is what was
// written to the file, so what is hashed is unchanged.
#include <crypto/sha256.h>

#include <QByteArray>
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>

namespace Transfer {

class FileHasher final : public QObject
{
    Q_OBJECT
public:
    // Largest read per worker task, so waiting for a running task stays short.
    static constexpr std::uint64_t kSliceBytes = 8 * 1024 * 1024;
    // Verified chunks kept for hashing beyond the prefix; more are read back from the file.
    // Covers the default credit window (32 chunks), so only resumed chunks are read back.
    static constexpr std::uint64_t kCacheBytes = 32 * 1024 * 1024;

    explicit FileHasher(QString path, QObject *parent = nullptr);
    ~FileHasher() override;

    // `data` was written at `offset` and is final: hash it from memory when the prefix gets
    // there. Call before the advanceTo() that covers it.
    void addChunk(std::uint64_t offset, QByteArray data);
    // Bytes [0, bytes) of the file are written and final.
    void advanceTo(std::uint64_t bytes);

    struct State
    {
        std::shared_ptr<Crypto::Sha256> sha; // fed with bytes [0, hashed); null after an error
        std::uint64_t hashed = 0;
    };
    // Waits for a running slice and hands the hash over; the hasher is spent afterwards.
    [[nodiscard]] State take();

    // Bytes hashed from memory and read back from the file so far (tests, diagnostics).
    [[nodiscard]] std::uint64_t bytesFromMemory() const { return m_fromMemory; }
    [[nodiscard]] std::uint64_t bytesFromFile() const { return m_fromFile; }

private:
    void startSlice();
    void collectSlice();
    void onSliceDone();
    void dropCachedBelow(std::uint64_t offset);

    QString m_path;
    std::shared_ptr<Crypto::Sha256> m_sha = std::make_shared<Crypto::Sha256>();
    std::uint64_t m_hashed = 0;
    std::uint64_t m_target = 0;
    bool m_failed = false;
    bool m_slicePending = false; // a slice was started and its result not yet counted
    bool m_sliceFromMemory = false;
    std::map<std::uint64_t, QByteArray> m_cache; // offset -> verified chunk not yet hashed
    std::uint64_t m_cachedBytes = 0;
    std::uint64_t m_fromMemory = 0;
    std::uint64_t m_fromFile = 0;
    QFutureWatcher<std::uint64_t> m_watcher; // result: bytes hashed by the slice, 0 on error
};

} // namespace Transfer
