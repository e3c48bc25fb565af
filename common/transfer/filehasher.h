#pragma once
// The downloader's whole-file SHA-256, computed while the download runs. Chunks arrive out of
// order, but the verified prefix [0, n) of the .part only grows; each time it does, a worker
// (QtConcurrent) reads the new part back from the file (page cache) and feeds it to one
// running SHA-256. When the last chunk lands only the tail is left to hash, instead of the
// whole file: at a few hundred MB/s re-hashing a 256 MiB file took ~0.2 s, a fifth of the
// transfer. What is hashed is still what the file holds, as before.
#include <crypto/sha256.h>

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>

namespace Transfer {

class FileHasher final : public QObject
{
    Q_OBJECT
public:
    // Largest read per worker task, so waiting for a running task stays short.
    static constexpr std::uint64_t kSliceBytes = 8 * 1024 * 1024;

    explicit FileHasher(QString path, QObject *parent = nullptr);
    ~FileHasher() override;

    // Bytes [0, bytes) of the file are written and final.
    void advanceTo(std::uint64_t bytes);

    struct State
    {
        std::shared_ptr<Crypto::Sha256> sha; // fed with bytes [0, hashed); null after an error
        std::uint64_t hashed = 0;
    };
    // Waits for a running slice and hands the hash over; the hasher is spent afterwards.
    [[nodiscard]] State take();

private:
    void startSlice();
    void collectSlice();
    void onSliceDone();

    QString m_path;
    std::shared_ptr<Crypto::Sha256> m_sha = std::make_shared<Crypto::Sha256>();
    std::uint64_t m_hashed = 0;
    std::uint64_t m_target = 0;
    bool m_failed = false;
    bool m_slicePending = false; // a slice was started and its result not yet counted
    QFutureWatcher<std::uint64_t> m_watcher; // result: bytes hashed by the slice, 0 on error
};

} // namespace Transfer
