#pragma once
// The transfer handshake's cryptography (docs/TRANSFER.md "Encryption"): what each side signs,
// the token's proof of possession and the key schedule. Pure functions over the HELLO/ACCEPT
// bodies so both ends (and tests) compute byte-identical transcripts.
#include <transfer/wire/packet.h>

#include <crypto/aead.h>

#include <QByteArray>

#include <optional>

namespace Crypto {
class IdentityKey;
}

namespace Transfer {

// Names a token in the HELLO without revealing it: SHA-256("hopshare-token-id" ‖ token)[0..16).
[[nodiscard]] TokenId tokenIdOf(const TokenBytes &token);

// Fills hello.tokenId, tokenProof and signature for the HELLO's current fields (call again when
// the cookie changes). The ephemeral and identity keys must be set.
void signHello(HelloBody &hello, const TokenBytes &token, const Crypto::IdentityKey &identity);
// HMAC(token, transcript) matches: the sender holds the token.
[[nodiscard]] bool helloProvesToken(const HelloBody &hello, const TokenBytes &token);
// The signature verifies under hello.identityKey (with the header flags and the cookie).
[[nodiscard]] bool helloSignatureValid(const HelloBody &hello);

// SHA-256 of the HELLO transcript and the ACCEPT's fields before its signature: what the
// uploader signs and what the keys are bound to.
[[nodiscard]] Digest32 transcriptHash(const HelloBody &hello, const AcceptBody &accept);
void signAccept(AcceptBody &accept, const HelloBody &hello, const Crypto::IdentityKey &identity);
[[nodiscard]] bool acceptSignatureValid(const AcceptBody &accept, const HelloBody &hello);

// One direction's AEAD key and static IV.
struct TrafficSecret
{
    QByteArray key;
    QByteArray iv;
};

struct SessionSecrets
{
    TrafficSecret uploaderToDownloader;
    TrafficSecret downloaderToUploader;
};

// HKDF-SHA256: PRK = Extract(salt = token, X25519 secret); each direction's key and IV =
// Expand(PRK, label ‖ transcript hash). nullopt when OpenSSL fails.
[[nodiscard]] std::optional<SessionSecrets> deriveSessionSecrets(Crypto::AeadAlgorithm algorithm,
                                                                 const QByteArray &sharedSecret,
                                                                 const TokenBytes &token,
                                                                 const Digest32 &transcript);

template<std::size_t N>
[[nodiscard]] QByteArray toByteArray(const std::array<std::byte, N> &a)
{
    return QByteArray(reinterpret_cast<const char *>(a.data()), qsizetype(N));
}

} // namespace Transfer
