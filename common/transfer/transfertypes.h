#pragma once
// Value types crossing between the owner's thread and the engine thread (queued signals).
#include <transfer/congestion/congestioncontroller.h>
#include <transfer/wire/packet.h>

#include <crypto/aead.h>

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QString>

#include <chrono>
#include <cstdint>

namespace Transfer {

using TransferId = quint64;

// What an uploader offers under a token: the local file and its identity.
struct FileOffer
{
    QString path;
    quint64 size = 0;
    QByteArray sha256; // 32 raw bytes, the whole-file SHA-256
    // The Ed25519 public key (32 raw bytes) the token is issued to: only a downloader signing
    // the handshake with it may use the token. Empty = any identity (tests, the bench).
    QByteArray requesterKey {};
};

// Where a peer may be reached (docs/NAT.md): one of its interface addresses, the address its
// server saw its transfer socket come from, one learnt from its punch datagrams, or a relay.
enum class CandidateKind : quint8 { Host, Reflexive, PeerReflexive, Relay };

struct Candidate
{
    QHostAddress address;
    quint16 port = 0;
    CandidateKind kind = CandidateKind::Host;
    friend bool operator==(const Candidate &, const Candidate &) = default;
};

// How a transfer's datagrams travel: to an interface address of the peer (a LAN, or loopback),
// to a NAT mapping of the peer (reflexive: hole punching), or through a server's relay.
enum class PathKind : quint8 { Unknown, DirectLan, DirectPunched, Relayed };

// "direct-lan", "direct-punched", "relayed"; empty for Unknown.
[[nodiscard]] QString pathKindName(PathKind kind);
[[nodiscard]] PathKind pathKindOf(CandidateKind kind);
// The path of a peer address given the candidates it was announced with: the kind of the
// matching candidate; an unannounced address counts as LAN when it is loopback, private or
// link-local, else as punched (it came through a NAT).
[[nodiscard]] PathKind classifyPath(const QHostAddress &address, quint16 port,
                                    const QList<Candidate> &candidates);

struct DownloadOptions
{
    ArqMode mode = ArqMode::SelectiveRepeat;
    CongestionAlgorithm controller = CongestionAlgorithm::Bbr;
    quint64 rateCap = 0; // bytes/s the uploader may send at; 0 = none
    quint16 windowChunks = 32;
    std::chrono::milliseconds idleTimeout {10000};
    // No candidate answered the handshake within this: TransferError::Unreachable.
    std::chrono::milliseconds handshakeTimeout {8000};
    // Encryption is always on unless this is set (benchmark baselines); an uploader refuses a
    // plain request unless it allows plain uploads (Endpoint::setAllowPlainUploads).
    bool plain = false;
    Crypto::AeadAlgorithm cipher = Crypto::AeadAlgorithm::Aes128Gcm;
};

struct DownloadRequest
{
    QHostAddress peer;
    quint16 port = 0;
    QByteArray token; // 16 bytes from the uploader's owner
    quint64 size = 0;
    QByteArray sha256; // 32 raw bytes
    QString destination;
    DownloadOptions options;
    // Every address the uploader may be reached at, probed at once; empty = {peer, port} as a
    // host candidate. The first to answer the handshake becomes the path.
    QList<Candidate> candidates;
    // The uploader's Ed25519 public key (32 raw bytes) from the offer: the handshake fails with
    // TransferError::PeerIdentity unless the uploader signs with it. Empty = any uploader.
    QByteArray uploaderKey {};
};

enum class TransferDirection : quint8 { Download, Upload };

enum class TransferError : quint8 {
    None,
    Busy, // the uploader has no free slot: try another peer
    Refused, // token missing, forged, expired or reused
    Unreachable, // no answer to the handshake
    PeerGone, // the peer stopped answering mid-way (verified chunks are kept)
    Verification,
    Disk,
    Cancelled,
    Content, // the uploader does not have that content
    PeerIdentity, // the uploader is not who the offer named, or its handshake does not verify
};

struct TransferStats
{
    TransferId id = 0;
    TransferDirection direction = TransferDirection::Download;
    QString peer;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    PathKind path = PathKind::Unknown;
    bool connected = false; // past the handshake
    quint64 ageUs = 0; // since the connection was made (the baseline of a rate)
    quint64 totalBytes = 0;
    quint64 doneBytes = 0; // verified (download) or acknowledged (upload)
    // Download: payload kept so far, verified or not (resumed bytes included); it moves with
    // every DATA, where doneBytes moves a whole chunk at a time. Upload: 0.
    quint64 receivedBytes = 0;
    // Upload: payload sent a first time. It moves as the sender paces, where doneBytes moves
    // with ACKs, in bursts and one round trip late. Download: 0.
    quint64 sentBytes = 0;
    double goodput = 0.0; // bytes/s since the transfer started
    double recentGoodput = 0.0; // bytes/s over the last publication period
    quint64 rttUs = 0;
    quint64 minRttUs = 0;
    quint64 pacingRate = 0; // bytes/s
    quint64 congestionWindow = 0;
    quint64 bytesInFlight = 0;
    quint64 packetsSent = 0;
    quint64 packetsReceived = 0;
    quint64 packetsLost = 0;
    // Resent DATA: the uploader counts what it resent, the downloader the resent units it
    // received (the uploader flags them); dataPackets is DATA sent (upload) or received
    // (download). Both sides' resentRatio() estimate the same figure.
    quint64 retransmissions = 0;
    quint64 dataPackets = 0;
    // Upload: resent packets whose first copy was acknowledged after all (loss declared wrongly).
    quint64 spuriousRetransmissions = 0;
    quint64 duplicates = 0;
    quint64 corruptDropped = 0; // endpoint-wide: bad checksum or malformed
    quint64 chunksRefetched = 0; // chunks that failed their SHA-256 and were sent again
    QString controllerState;

    [[nodiscard]] double resentRatio() const
    {
        return dataPackets ? double(retransmissions) / double(dataPackets) : 0.0;
    }
    // Of the DATA, what was resent although its first copy had arrived (a loss declared
    // wrongly): the uploader learns it from later ACKs, the downloader sees the copy twice.
    [[nodiscard]] double spuriousRatio() const
    {
        const quint64 spurious
                = direction == TransferDirection::Upload ? spuriousRetransmissions : duplicates;
        return dataPackets ? double(spurious) / double(dataPackets) : 0.0;
    }
};

struct TransferResult
{
    TransferId id = 0;
    TransferDirection direction = TransferDirection::Download;
    QString path;
    quint64 bytes = 0; // bytes moved in this run (not counting resumed chunks)
    quint64 totalBytes = 0; // file size
    double seconds = 0.0;
    QByteArray sha256;
    TransferStats stats;
};

struct EndpointCounters
{
    quint64 datagramsReceived = 0;
    quint64 corrupt = 0; // checksum mismatch, or a sealed datagram that failed to open
    quint64 unauthenticated = 0; // of those, sealed datagrams whose AEAD tag did not verify
    quint64 malformed = 0; // truncated, oversized, wrong version or unknown type/body
    quint64 unsolicited = 0; // unknown connection id
    quint64 refused = 0;
    quint64 rendezvous = 0; // rendezvous datagrams that were malformed or answered nothing of ours
};

[[nodiscard]] QString transferErrorName(TransferError error);
void registerTransferMetaTypes();

} // namespace Transfer

Q_DECLARE_METATYPE(Transfer::TransferStats)
Q_DECLARE_METATYPE(Transfer::TransferResult)
Q_DECLARE_METATYPE(Transfer::TransferError)
Q_DECLARE_METATYPE(Transfer::FileOffer)
Q_DECLARE_METATYPE(Transfer::DownloadRequest)
Q_DECLARE_METATYPE(Transfer::EndpointCounters)
Q_DECLARE_METATYPE(Transfer::Candidate)
