#include <transfer/connection/handshakecrypto.h>

#include <transfer/wire/wirebuffer.h>

#include <crypto/hkdf.h>
#include <crypto/identitykey.h>
#include <crypto/sha256.h>

#include <openssl/crypto.h>

#include <cstring>

namespace Transfer {

namespace {

constexpr std::string_view kHelloLabel = "hopshare-transfer-v1 hello";
constexpr std::string_view kProofLabel = "hopshare-transfer-v1 token proof";
constexpr std::string_view kAcceptLabel = "hopshare-transfer-v1 accept";

QByteArrayView view(const auto &array)
{
    return QByteArrayView(reinterpret_cast<const char *>(array.data()), qsizetype(array.size()));
}

// Every HELLO field except the cookie, the proof and the signature, and the header flags (so
// the plain flag cannot be set or cleared on the way).
QByteArray helloTranscript(const HelloBody &h)
{
    std::array<std::byte, kMaxDatagramSize> buffer {};
    WireWriter w(buffer);
    w.u16(h.headerFlags);
    w.u32(h.sourceCid);
    w.bytes(std::span<const std::byte>(h.nonce));
    w.u8(std::uint8_t(h.mode));
    w.u8(h.controller);
    w.u16(h.windowChunks);
    w.u32(h.maxAckDelayUs);
    w.u64(h.rateCap);
    w.bytes(std::span<const std::byte>(h.tokenId));
    w.u64(h.fileSize);
    w.bytes(std::span<const std::byte>(h.fileSha256));
    const std::uint16_t n = std::min<std::uint16_t>(h.missingCount, kMaxMissingRanges);
    w.u16(n);
    for (std::size_t i = 0; i < n; ++i) {
        w.u32(h.missing[i].first);
        w.u32(h.missing[i].count);
    }
    w.u8(h.aead);
    w.bytes(std::span<const std::byte>(h.ephemeralKey));
    w.bytes(std::span<const std::byte>(h.identityKey));
    QByteArray out(kHelloLabel.data(), qsizetype(kHelloLabel.size()));
    out.append(reinterpret_cast<const char *>(buffer.data()), qsizetype(w.size()));
    return out;
}

TokenProof proofFor(const HelloBody &hello, const TokenBytes &token)
{
    QByteArray message(kProofLabel.data(), qsizetype(kProofLabel.size()));
    message += helloTranscript(hello);
    const QByteArray mac = Crypto::hmacSha256(view(token), message);
    TokenProof proof {};
    std::memcpy(proof.data(), mac.constData(), std::min<std::size_t>(proof.size(), mac.size()));
    return proof;
}

QByteArray helloSignedMessage(const HelloBody &hello)
{
    // The cookie makes the signature fresh: it carries the uploader's timestamp (10 s).
    return helloTranscript(hello) + view(hello.cookie).toByteArray()
            + view(hello.tokenProof).toByteArray();
}

QByteArray acceptSignedMessage(const AcceptBody &accept, const HelloBody &hello)
{
    QByteArray m(kAcceptLabel.data(), qsizetype(kAcceptLabel.size()));
    m += view(transcriptHash(hello, accept)).toByteArray();
    return m;
}

template<std::size_t N>
void copyInto(std::array<std::byte, N> &out, const QByteArray &in)
{
    out.fill(std::byte {0});
    std::memcpy(out.data(), in.constData(), std::min<std::size_t>(N, std::size_t(in.size())));
}

} // namespace

TokenId tokenIdOf(const TokenBytes &token)
{
    Crypto::Sha256 h;
    static constexpr char label[] = "hopshare-token-id";
    h.addData(label, sizeof(label) - 1);
    h.addData(token.data(), token.size());
    const auto digest = h.finish();
    TokenId id {};
    std::memcpy(id.data(), digest.data(), id.size());
    return id;
}

void signHello(HelloBody &hello, const TokenBytes &token, const Crypto::IdentityKey &identity)
{
    hello.tokenId = tokenIdOf(token);
    copyInto(hello.identityKey, identity.publicKey());
    hello.tokenProof = proofFor(hello, token);
    copyInto(hello.signature, identity.sign(helloSignedMessage(hello)));
}

bool helloProvesToken(const HelloBody &hello, const TokenBytes &token)
{
    const TokenProof expected = proofFor(hello, token);
    return CRYPTO_memcmp(expected.data(), hello.tokenProof.data(), expected.size()) == 0;
}

bool helloSignatureValid(const HelloBody &hello)
{
    return Crypto::IdentityKey::verify(view(hello.identityKey), helloSignedMessage(hello),
                                       view(hello.signature));
}

Digest32 transcriptHash(const HelloBody &hello, const AcceptBody &accept)
{
    std::array<std::byte, 4 + 16 + 8 + 32 + 32> fields {};
    WireWriter w(fields);
    w.u32(accept.sourceCid);
    w.bytes(std::span<const std::byte>(accept.nonce));
    w.u64(accept.fileSize);
    w.bytes(std::span<const std::byte>(accept.ephemeralKey));
    w.bytes(std::span<const std::byte>(accept.identityKey));
    Crypto::Sha256 h;
    h.addData(helloTranscript(hello));
    h.addData(fields.data(), w.size());
    return h.finish();
}

void signAccept(AcceptBody &accept, const HelloBody &hello, const Crypto::IdentityKey &identity)
{
    copyInto(accept.identityKey, identity.publicKey());
    copyInto(accept.signature, identity.sign(acceptSignedMessage(accept, hello)));
}

bool acceptSignatureValid(const AcceptBody &accept, const HelloBody &hello)
{
    return Crypto::IdentityKey::verify(view(accept.identityKey), acceptSignedMessage(accept, hello),
                                       view(accept.signature));
}

std::optional<SessionSecrets> deriveSessionSecrets(Crypto::AeadAlgorithm algorithm,
                                                   const QByteArray &sharedSecret,
                                                   const TokenBytes &token,
                                                   const Digest32 &transcript)
{
    const QByteArray prk = Crypto::hkdfExtract(view(token), sharedSecret);
    if (prk.isEmpty())
        return std::nullopt;
    const qsizetype keySize = qsizetype(Crypto::AeadContext::keySize(algorithm));
    const qsizetype length = keySize + qsizetype(Crypto::AeadContext::kIvSize);
    auto expand = [&](const char *label) -> std::optional<TrafficSecret> {
        QByteArray info(label);
        info += view(transcript).toByteArray();
        const QByteArray okm = Crypto::hkdfExpand(prk, info, length);
        if (okm.size() != length)
            return std::nullopt;
        return TrafficSecret {okm.left(keySize), okm.mid(keySize)};
    };
    auto up = expand("hopshare-transfer-v1 uploader to downloader ");
    auto down = expand("hopshare-transfer-v1 downloader to uploader ");
    if (!up || !down)
        return std::nullopt;
    return SessionSecrets {std::move(*up), std::move(*down)};
}

} // namespace Transfer
