// Rendezvous bodies (common/transfer/rendezvouspacket.h): binding probes, relay binding and
// punches, which a server's UDP port and every client socket take from any address.
// Input: byte 0 picks the decoder, the rest is the body. Invariants: a body that decodes
// re-encodes to a datagram whose body decodes to the same value; no answer is larger than
// its request (no amplification).
#include <tests/fuzz/fuzzsupport.h>

#include <transfer/wire/rendezvouspacket.h>

#include <vector>

using namespace Qt::StringLiterals;
using namespace Transfer;

namespace {

template<typename T, typename Decode, typename Encode>
void roundTrip(std::span<const std::byte> body, Decode &&decode, Encode &&encode, PacketType type)
{
    const std::optional<T> first = decode(body);
    if (!first)
        return;
    std::array<std::byte, kMaxDatagramSize> out {};
    const std::size_t n = encode(std::span<std::byte>(out), *first);
    FUZZ_CHECK(n > 0);
    const auto view = decodePacket(std::span<const std::byte>(out).first(n));
    FUZZ_CHECK(view && view->header.type == type && view->header.destinationCid == 0);
    FUZZ_CHECK(isRendezvousType(view->header.type));
    const std::optional<T> second = decode(view->body);
    FUZZ_CHECK(second.has_value());
    FUZZ_CHECK(encode(std::span<std::byte>(out), *second) == n);
    if constexpr (std::is_same_v<T, BindResponse>) {
        FUZZ_CHECK(second->transaction == first->transaction);
        FUZZ_CHECK(second->observed == first->observed);
    } else if constexpr (std::is_same_v<T, RelayBind>) {
        FUZZ_CHECK(second->token == first->token && second->cookie == first->cookie);
    } else if constexpr (std::is_same_v<T, RelayBound>) {
        FUZZ_CHECK(second->token == first->token && second->endpoints == first->endpoints
                   && second->cookie == first->cookie);
    } else {
        FUZZ_CHECK(*second == *first);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto body = Fuzz::byteSpan(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0:
        roundTrip<TransactionId>(body, decodeBindRequest, encodeBindRequest,
                                 PacketType::BindRequest);
        break;
    case 1:
        roundTrip<BindResponse>(body, decodeBindResponse, encodeBindResponse,
                                PacketType::BindResponse);
        break;
    case 2:
        roundTrip<RelayBind>(body, decodeRelayBind, encodeRelayBind, PacketType::RelayBind);
        break;
    case 3:
        roundTrip<RelayBound>(body, decodeRelayBound, encodeRelayBound, PacketType::RelayBound);
        break;
    default:
        roundTrip<PunchId>(body, decodePunch, encodePunch, PacketType::Punch);
        (void)punchIdForToken(body);
        break;
    }
    // Requests are at least as large as their answers.
    FUZZ_CHECK(kBindRequestBodySize >= 16 + 1 + 2 + 16
               && kRelayBindBodySize >= 16 + 1 + sizeof(Cookie));
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    TransactionId txid;
    txid.fill(std::byte {0x7e});
    RelayToken token;
    token.fill(std::byte {0x21});
    Cookie cookie;
    cookie.fill(std::byte {0x5a});
    const BindResponse v4 {txid, PeerAddress::fromQt(QHostAddress(u"192.0.2.7"_s), 40001)};
    const BindResponse v6 {txid, PeerAddress::fromQt(QHostAddress(u"2001:db8::5"_s), 7001)};
    std::array<std::byte, kMaxDatagramSize> out {};
    auto bodyOf = [&](std::size_t n) {
        const auto view = decodePacket(std::span<const std::byte>(out).first(n));
        FUZZ_CHECK(view.has_value());
        return toByteArray(view->body);
    };
    return {
            {u"bind-request"_s, QByteArray(1, '\0') + bodyOf(encodeBindRequest(out, txid))},
            {u"bind-response-v4"_s, QByteArray(1, '\1') + bodyOf(encodeBindResponse(out, v4))},
            {u"bind-response-v6"_s, QByteArray(1, '\1') + bodyOf(encodeBindResponse(out, v6))},
            {u"relay-bind"_s, QByteArray(1, '\2') + bodyOf(encodeRelayBind(out, {token, {}}))},
            {u"relay-bind-echo"_s,
             QByteArray(1, '\2') + bodyOf(encodeRelayBind(out, {token, cookie}))},
            {u"relay-challenge"_s,
             QByteArray(1, '\3') + bodyOf(encodeRelayBound(out, {token, 0, cookie}))},
            {u"relay-bound"_s, QByteArray(1, '\3') + bodyOf(encodeRelayBound(out, {token, 1, {}}))},
            {u"punch"_s, QByteArray(1, '\4') + bodyOf(encodePunch(out, punchIdForToken(token)))},
    };
}
