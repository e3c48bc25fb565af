#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <algorithm>

// Value types the client core publishes about files: offers found through a room and the
// transfers (downloads and uploads) they lead to. Front ends show them; they never build them.
namespace Client {

struct OfferInfo
{
    QString offerId; // unique per (request, peer, file); what "get OFFER_ID" takes
    QString requestId; // the find request it answers
    QString room;
    QString fileName;
    qint64 size = 0;
    QString sha256; // hex, whole file: identical content from several peers groups by this
    QString peerId;
    QString peerNick;
    int freeSlots = 0;
    bool late = false; // arrived after the request's answer window
};

struct TransferInfo
{
    enum class Direction { Download, Upload };
    enum class State {
        Queued,
        Requesting, // asking the peer through the servers
        Refused, // the peer said busy/gone; trying the next source
        Connecting, // UDP handshake / path set-up
        Transferring,
        Verifying,
        Paused,
        Done,
        Failed,
        Cancelled,
    };

    QString id;
    Direction direction = Direction::Download;
    State state = State::Queued;
    QString fileName;
    QString localPath; // where the file is (upload) or will be (download)
    QString sha256;
    bool verified = false;
    qint64 size = 0;
    qint64 bytesDone = 0;
    // What the graph's rate is read from (RateHistory, with elapsedMs): payload sent a first
    // time (upload; bytesDone follows ACKs, a round trip late and in bursts) or received,
    // verified or not (download; bytesDone moves a whole verified chunk at a time).
    qint64 movedBytes = 0;
    // Time since the transfer began on the engine's clock at this reading (0: unknown): rates
    // are taken between readings on this clock, not between the moments they arrived.
    qint64 elapsedMs = 0;
    QString peerId;
    QString peerNick;
    QString path; // "direct-lan", "direct-punched", "relayed" (empty while unknown)
    double rateBytesPerSecond = 0;
    double rttMs = 0;
    double congestionRate = 0; // controller's pacing rate, bytes/s
    double retransmitRatio = 0; // resent DATA over DATA (TransferStats::resentRatio)
    double spuriousRatio = 0; // of it, resent although the first copy arrived
    QString error; // why it failed, or the last refusal
    QDateTime started;
    QDateTime finished;

    [[nodiscard]] qint64 meteredBytes() const { return std::max(bytesDone, movedBytes); }
    // What the table's progress shows: a download's bytes received so far (verified bytes move
    // a whole 1 MiB chunk at a time, so a slow download read "0 bytes" for seconds while its
    // rate was shown), an upload's acknowledged bytes.
    [[nodiscard]] qint64 progressBytes() const
    {
        return direction == Direction::Download
                ? std::min(meteredBytes(), std::max(size, bytesDone))
                : bytesDone;
    }
    [[nodiscard]] bool isFinal() const
    {
        return state == State::Done || state == State::Failed || state == State::Cancelled;
    }
};

} // namespace Client

Q_DECLARE_METATYPE(Client::OfferInfo)
Q_DECLARE_METATYPE(Client::TransferInfo)
