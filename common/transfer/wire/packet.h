#pragma once
// The transport's datagram codec (docs/TRANSFER.md "Datagram layout"). A plain datagram is
// 16-byte header | body | CRC32C of everything before it; a sealed one (first byte
// kSealedFirstByte, every packet of an encrypted connection after the handshake) is
// header | AEAD ciphertext of the body | 16-byte tag (PacketProtection). Encoders write into a
// caller-owned buffer and decoders read in place: no allocation on the per-datagram path.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace Transfer {

inline constexpr std::uint8_t kWireVersion = 1;
inline constexpr std::byte kFirstByte {0xF0 | kWireVersion};
// Bit 3 of the first byte: the body is sealed (AEAD) and ends in a tag instead of the CRC32C.
inline constexpr std::byte kSealedFirstByte {0xF8 | kWireVersion};
inline constexpr std::size_t kHeaderSize = 16;
inline constexpr std::size_t kChecksumSize = 4;
inline constexpr std::size_t kTagSize = 16;
// A plain datagram's size limit; a sealed one is kTagSize - kChecksumSize bytes longer (1212),
// inside the 1232 bytes an IPv6 path of minimum MTU carries.
inline constexpr std::size_t kMaxDatagramSize = 1200;
inline constexpr std::size_t kMaxSealedDatagramSize = kMaxDatagramSize + kTagSize - kChecksumSize;
inline constexpr std::size_t kDataOverhead = kHeaderSize + 4 + kChecksumSize;
inline constexpr std::size_t kBlockSize = kMaxDatagramSize - kDataOverhead; // 1176
inline constexpr std::size_t kMaxMissingRanges = 96;
inline constexpr std::size_t kMaxAckRanges = 64;

enum class PacketType : std::uint8_t {
    Hello = 0x01,
    Challenge = 0x02,
    Accept = 0x03,
    Refuse = 0x04,
    Data = 0x10,
    Ack = 0x11,
    Ping = 0x13,
    Refetch = 0x14,
    AckGbn = 0x16,
    Close = 0x1F,
    // Rendezvous (docs/NAT.md): never part of a connection, destination cid 0.
    BindRequest = 0x20,
    BindResponse = 0x21,
    RelayBind = 0x22,
    RelayBound = 0x23,
    Punch = 0x24,
};

// Header flags. DATA: bit 0 = retransmission (statistics only); bits 8..15 = the chunk's
// re-fetch generation (0 for its first sending). HELLO: the downloader can re-fetch chunks
// (REFETCH, generations) and marks its ACKs COMPLETE. ACK: every chunk is verified and written.
inline constexpr std::uint16_t kFlagRetransmit = 0x0001;
inline constexpr std::uint16_t kHelloFlagRefetch = 0x0002;
inline constexpr std::uint16_t kAckFlagComplete = 0x0002;
// HELLO: the downloader asks for a plain (unsealed) transfer, for benchmark baselines; only an
// uploader that allows plain uploads accepts it.
inline constexpr std::uint16_t kHelloFlagPlain = 0x0004;
inline constexpr unsigned kGenerationShift = 8;

enum class ArqMode : std::uint8_t { SelectiveRepeat = 0, GoBackN = 1 };

// Plain: the downloader asked for a plain transfer and the uploader only encrypts.
enum class RefuseReason : std::uint8_t { Busy = 1, Version = 2, Auth = 3, Content = 4, Plain = 5 };

using Cookie = std::array<std::byte, 24>;
using TokenBytes = std::array<std::byte, 16>;
using Nonce = std::array<std::byte, 16>;
using Digest32 = std::array<std::byte, 32>;
using TokenId = std::array<std::byte, 16>; // tokenIdOf(token): names a token without revealing it
using TokenProof = std::array<std::byte, 16>;
using PublicKey32 = std::array<std::byte, 32>; // X25519 or Ed25519 raw public key
using Signature64 = std::array<std::byte, 64>; // Ed25519

struct PacketHeader
{
    PacketType type = PacketType::Ping;
    std::uint16_t flags = 0;
    std::uint32_t destinationCid = 0;
    std::uint32_t packetNumber = 0;
    std::uint32_t timestampUs = 0;
    // Not on the wire: the datagram will be sealed (PacketProtection), whose tag replaces the
    // checksum, so encoding leaves the checksum's 4 bytes unset instead of computing it.
    bool toBeSealed = false;
};

// Chunks (half-open [first, first + count)) the downloader still needs.
struct ChunkRun
{
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

struct HelloBody
{
    std::uint32_t sourceCid = 0;
    Nonce nonce {};
    ArqMode mode = ArqMode::SelectiveRepeat;
    std::uint8_t controller = 0;
    std::uint16_t windowChunks = 0;
    std::uint32_t maxAckDelayUs = 0;
    std::uint64_t rateCap = 0; // bytes/s the uploader may send at, 0 = none
    Cookie cookie {}; // all zero in the first HELLO
    TokenId tokenId {};
    std::uint64_t fileSize = 0;
    Digest32 fileSha256 {};
    std::uint16_t missingCount = 0; // runs in `missing`; 0 = the whole file
    std::array<ChunkRun, kMaxMissingRanges> missing {};
    // Handshake security (handshakecrypto.h): AEAD algorithm (Crypto::AeadAlgorithm), the
    // downloader's ephemeral X25519 and identity Ed25519 public keys, HMAC proof of the token,
    // and the identity key's signature over all of it and the cookie.
    std::uint8_t aead = 0;
    PublicKey32 ephemeralKey {};
    PublicKey32 identityKey {};
    TokenProof tokenProof {};
    Signature64 signature {};
    std::uint16_t headerFlags = 0; // the HELLO's header flags (not part of the body)
};

struct AcceptBody
{
    std::uint32_t sourceCid = 0;
    Nonce nonce {};
    std::uint64_t fileSize = 0;
    // The uploader's ephemeral X25519 and identity Ed25519 public keys, and the identity's
    // signature over the transcript (handshakecrypto.h).
    PublicKey32 ephemeralKey {};
    PublicKey32 identityKey {};
    Signature64 signature {};
};

struct RefuseBody
{
    RefuseReason reason = RefuseReason::Busy;
    std::uint32_t retryAfterMs = 0;
};

struct AckRangeWire
{
    std::uint32_t last = 0;
    std::uint32_t count = 0;
};

struct AckBody
{
    std::uint32_t largest = 0;
    std::uint32_t ackDelayUs = 0;
    std::uint32_t maxChunk = 0; // credit: chunks below this may be sent
    std::uint8_t rangeCount = 0;
    std::array<AckRangeWire, kMaxAckRanges> ranges {};
};

struct AckGbnBody
{
    std::uint32_t nextUnit = 0;
    std::uint32_t echoTimestampUs = 0;
    std::uint32_t ackDelayUs = 0;
    std::uint32_t maxChunk = 0;
};

// REFETCH (downloader -> uploader): chunk `chunk` failed its SHA-256 check; send all of it
// again as generation `generation` (1, 2, ...).
struct RefetchBody
{
    std::uint32_t chunk = 0;
    std::uint8_t generation = 0;
};

// A decoded datagram: header plus the body bytes (between header and checksum), in place. For
// a sealed datagram the body is ciphertext followed by the tag until it is opened.
struct PacketView
{
    PacketHeader header;
    std::span<const std::byte> body;
    bool sealed = false;
};

enum class DecodeError : std::uint8_t { None, Truncated, Version, Checksum, Type };

// Validates size, first byte, type and (plain datagrams) checksum; a sealed datagram's tag is
// checked when its connection opens it. nullopt with *error set otherwise.
[[nodiscard]] std::optional<PacketView> decodePacket(std::span<const std::byte> datagram,
                                                     DecodeError *error = nullptr);

// Each encoder returns the datagram size, or 0 when `out` is too small.
std::size_t encodeHello(std::span<std::byte> out, const PacketHeader &h, const HelloBody &b);
std::size_t encodeChallenge(std::span<std::byte> out, const PacketHeader &h, const Cookie &c);
std::size_t encodeAccept(std::span<std::byte> out, const PacketHeader &h, const AcceptBody &b);
std::size_t encodeRefuse(std::span<std::byte> out, const PacketHeader &h, const RefuseBody &b);
// DATA: the payload is copied after the unit index.
std::size_t encodeData(std::span<std::byte> out, const PacketHeader &h, std::uint32_t unit,
                       std::span<const std::byte> payload);
std::size_t encodeAck(std::span<std::byte> out, const PacketHeader &h, const AckBody &b);
std::size_t encodeAckGbn(std::span<std::byte> out, const PacketHeader &h, const AckGbnBody &b);
std::size_t encodeRefetch(std::span<std::byte> out, const PacketHeader &h, const RefetchBody &b);
std::size_t encodeEmpty(std::span<std::byte> out, const PacketHeader &h); // PING, CLOSE
// Header, an already encoded body, checksum (the rendezvous datagrams, rendezvouspacket.h).
std::size_t encodeWithBody(std::span<std::byte> out, const PacketHeader &h,
                           std::span<const std::byte> body);

[[nodiscard]] bool decodeHello(std::span<const std::byte> body, HelloBody *out);
[[nodiscard]] bool decodeChallenge(std::span<const std::byte> body, Cookie *out);
[[nodiscard]] bool decodeAccept(std::span<const std::byte> body, AcceptBody *out);
[[nodiscard]] bool decodeRefuse(std::span<const std::byte> body, RefuseBody *out);
[[nodiscard]] bool decodeData(std::span<const std::byte> body, std::uint32_t *unit,
                              std::span<const std::byte> *payload);
[[nodiscard]] bool decodeAck(std::span<const std::byte> body, AckBody *out);
[[nodiscard]] bool decodeAckGbn(std::span<const std::byte> body, AckGbnBody *out);
[[nodiscard]] bool decodeRefetch(std::span<const std::byte> body, RefetchBody *out);

} // namespace Transfer
