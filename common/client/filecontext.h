#pragma once

#include <client/filesignalling.h>
#include <client/ratemeter.h>
#include <client/transferinfo.h>

#include <protocol/messages.h>
#include <transfer/endpoint.h>
#include <transfer/impairment/impairment.h>

#include <QElapsedTimer>
#include <QHostAddress>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace Share {
class ShareIndex;
}

namespace Client {

class ClientCore;

// What FileSharing is told to do (FileSharing::Settings).
struct FileSettings
{
    QString downloadsDir; // empty = the current directory
    int maxUploads = 3;
    quint64 uploadRateCap = 0; // bytes/s, 0 = none
    Transfer::ArqMode mode = Transfer::ArqMode::SelectiveRepeat;
    Transfer::ImpairmentSpec impairment;
    QString hashCachePath; // empty = QStandardPaths::CacheLocation; "-" = memory only
    QHostAddress bindAddress = QHostAddress::Any;
    std::chrono::milliseconds offerWindow {5000}; // offers after it are marked late
    std::chrono::milliseconds requestTimeout {10000}; // no accept/refuse: next source
    std::chrono::milliseconds retryWindow {60000}; // no source free: retry this long
    std::chrono::milliseconds retryInterval {2000};
    std::chrono::milliseconds peerIdleTimeout {10000}; // uploader silent: next source
    // NAT traversal (docs/NAT.md): how long every candidate pair is probed before the
    // download falls back to a relay on our server; forceRelay skips the direct probing.
    std::chrono::milliseconds punchTimeout {3000};
    // The direct candidates' head start: a download with no answer by then asks our
    // server for a relay and probes it beside them (Happy Eyeballs' 250 ms); the first
    // path to answer is used, so nobody waits for punchTimeout.
    std::chrono::milliseconds relayRaceDelay {250};
    std::chrono::milliseconds punchDuration {5000}; // uploader's punching after accept
    bool forceRelay = false;
};

// What FileSharing dropped or answered (FileSharing::Counters).
struct FileCounters
{
    quint64 malformed = 0; // relay bodies dropped by validation
    quint64 refusedRequests = 0; // get requests we refused
    quint64 acceptedRequests = 0;
    quint64 untrustedKey = 0; // file messages dropped: the sender's key changed, not trusted
};

// Engine ids at and above this are uploads (the endpoint numbers its uploads from here).
inline constexpr Transfer::TransferId kFirstUploadId = Transfer::TransferId(1) << 48;

// The state FileSharing's downloads and uploads share: owned by the facade, read and used by
// DownloadManager and UploadService, so neither reaches into the other.
struct FileContext
{
    ClientCore *core = nullptr;
    FileSettings settings;
    FileCounters counters;
    std::unique_ptr<Share::ShareIndex> index; // created on first share or find answer
    std::unique_ptr<Transfer::Endpoint> endpoint; // bound on first need
    std::function<void()> ensureStarted; // binds the endpoint (FileSharing::start)
    QElapsedTimer clock;
    std::optional<Transfer::Candidate> reflexive;
    bool hadActive = false; // a transfer began since allTransfersEnded was last emitted

    [[nodiscard]] qint64 now() const { return clock.elapsed(); }
    // Where peers may reach our endpoint: interface addresses with the UDP port, and the
    // reflexive address our server reported (once known).
    [[nodiscard]] FileSignal::Candidates localCandidates() const;
};

// The identity key a signalling body names must be the one its sender proved in hello (the
// server stamps `from`, and the known peers flag a nick whose key changed): so a server that
// rewrote the key in an offer, get or accept would also have to present the member with that
// key, which trust on first use catches.
[[nodiscard]] inline bool isSendersKey(const Protocol::Relayed &r, const QByteArray &key)
{
    return !key.isEmpty() && key == r.from.key;
}

// Takes the engine's figures into a running transfer's row and its rate meter (both sides);
// `context` gives the clock the meter reads.
void takeProgress(TransferInfo &info, RateMeter &meter, const Transfer::TransferStats &s,
                  const FileContext &context);

} // namespace Client
