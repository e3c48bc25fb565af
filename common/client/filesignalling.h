#pragma once

#include <QByteArray>
#include <QCborMap>
#include <QString>
#include <QStringList>

#include <transfer/transfertypes.h>

#include <optional>

// The bodies of the relay payloads that carry file signalling between peers. The server routes
// them without reading them, so every field is validated here: a malformed body decodes to
// nullopt and is dropped (and counted) by the receiver. Grammar: docs/FILES.md.
namespace Client::FileSignal {

inline constexpr auto KindFind = "find";
inline constexpr auto KindOffer = "offer";
inline constexpr auto KindGet = "get";
inline constexpr auto KindAccept = "accept";
inline constexpr auto KindRefuse = "refuse";
inline constexpr auto KindAnnounce = "announce";
inline constexpr auto KindRelayOffer = "relay-offer";
inline constexpr auto KindPause = "pause";

inline constexpr qsizetype MaxIdLength = 32; // request and transfer ids
inline constexpr qsizetype MaxPatternLength = 200;
inline constexpr qsizetype MaxNameLength = 1024; // sanitised again on arrival
inline constexpr qsizetype MaxCandidates = 8;
inline constexpr qsizetype PublicKeySize = 32; // "pk": an Ed25519 public key

struct Find
{
    QString requestId;
    QString pattern;
};

struct Offer
{
    QString requestId;
    QString fileId; // the uploader's index id: what a get names
    QString name;
    qint64 size = 0;
    QString sha256; // 64 lower-case hex chars
    int freeSlots = 0;
    QByteArray publicKey {}; // the uploader's Ed25519 identity key (32 bytes), "pk"
};

// A download request. It names a file only by index id or SHA-256: a body carrying a path is
// rejected by decodeGet, so the uploader never looks at a path a requester sent.
// Where a peer's transfer socket may be reached (docs/NAT.md): `{ip, port, kind}` with kind
// "host" (an interface address) or "srflx" (the address its server saw). At most
// MaxCandidates; one malformed entry makes the whole body invalid.
using Candidates = QList<Transfer::Candidate>;

struct Get
{
    QString transferId;
    QString key; // file id (16 hex) or SHA-256 (64 hex)
    Candidates candidates; // the downloader's
    QByteArray publicKey {}; // the requester's identity key: the token is bound to it
};

struct Accept
{
    QString transferId;
    QByteArray token; // 16 bytes, valid for one download
    quint16 port = 0; // the uploader's UDP port
    Candidates candidates; // the uploader's
    qint64 size = 0;
    QString sha256;
    QByteArray publicKey {}; // the uploader's identity key: it must sign the handshake
};

// Downloader to uploader when no direct pair worked: bind to this relay session (on the
// downloader's server) and expect the HELLO through it.
struct RelayOffer
{
    QString transferId; // the get it belongs to
    QString ip; // the downloader's server, as the downloader reaches it
    quint16 port = 0; // the session's UDP port
    QByteArray token; // 16 bytes, the session's bind token
};

struct Refuse
{
    QString transferId;
    QString reason; // "busy", "gone", "invalid", "room"
};

// Downloader to uploader: the person paused this download; the transfer that ends now is a
// pause, not a failure, and a later get of the same content continues it.
struct Pause
{
    QString transferId; // the get being paused
};

struct Announce
{
    QString fileId;
    QString name;
    qint64 size = 0;
    QString sha256;
};

[[nodiscard]] QCborMap encode(const Find &m);
[[nodiscard]] QCborMap encode(const Offer &m);
[[nodiscard]] QCborMap encode(const Get &m);
[[nodiscard]] QCborMap encode(const Accept &m);
[[nodiscard]] QCborMap encode(const Refuse &m);
[[nodiscard]] QCborMap encode(const Announce &m);
[[nodiscard]] QCborMap encode(const RelayOffer &m);
[[nodiscard]] QCborMap encode(const Pause &m);

[[nodiscard]] std::optional<Find> decodeFind(const QCborMap &body);
[[nodiscard]] std::optional<Offer> decodeOffer(const QCborMap &body);
[[nodiscard]] std::optional<Get> decodeGet(const QCborMap &body);
[[nodiscard]] std::optional<Accept> decodeAccept(const QCborMap &body);
[[nodiscard]] std::optional<Refuse> decodeRefuse(const QCborMap &body);
[[nodiscard]] std::optional<Announce> decodeAnnounce(const QCborMap &body);
[[nodiscard]] std::optional<RelayOffer> decodeRelayOffer(const QCborMap &body);
[[nodiscard]] std::optional<Pause> decodePause(const QCborMap &body);

[[nodiscard]] bool isSha256Hex(QStringView text);
// 32 raw bytes for a valid hex digest, empty otherwise.
[[nodiscard]] QByteArray sha256Raw(QStringView hex);

} // namespace Client::FileSignal
