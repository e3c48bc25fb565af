// File-signalling bodies (Client::FileSignal decoders): the CBOR maps peers relay to each
// other through the servers, which route them unread: find, offer, get, accept, refuse,
// announce and relay-offer from anyone in the room.
// Input: one frame body, read through decodeFrame as a session reads it; every decoder sees
// it. Invariant: a body that decodes re-encodes to a map that decodes and re-encodes to the
// same map.
#include <tests/fuzz/fuzzsupport.h>

#include <client/filesignalling.h>

#include <QCborValue>

using namespace Qt::StringLiterals;
namespace FS = Client::FileSignal;

namespace {

template<typename Body>
void checkRoundTrip(const QCborMap &map, std::optional<Body> (*decode)(const QCborMap &))
{
    const std::optional<Body> first = decode(map);
    if (!first)
        return;
    const QCborMap encoded = FS::encode(*first);
    const std::optional<Body> second = decode(encoded);
    FUZZ_CHECK(second.has_value());
    FUZZ_CHECK(FS::encode(*second) == encoded);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bool ok = false;
    const QCborMap map = Fuzz::frameBody(data, size, &ok);
    if (!ok)
        return 0;
    checkRoundTrip(map, FS::decodeFind);
    checkRoundTrip(map, FS::decodeOffer);
    checkRoundTrip(map, FS::decodeGet);
    checkRoundTrip(map, FS::decodeAccept);
    checkRoundTrip(map, FS::decodeRefuse);
    checkRoundTrip(map, FS::decodeAnnounce);
    checkRoundTrip(map, FS::decodeRelayOffer);
    checkRoundTrip(map, FS::decodePause);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const QString sha = QString(64, u'c');
    const QByteArray pk(FS::PublicKeySize, '\x4b');
    const QByteArray token(16, '\x5a');
    const FS::Candidates candidates {
            {QHostAddress(u"192.168.1.20"_s), 40001, Transfer::CandidateKind::Host},
            {QHostAddress(u"203.0.113.9"_s), 51234, Transfer::CandidateKind::Reflexive}};
    const std::vector<std::pair<QString, QCborMap>> bodies {
            {u"find"_s, FS::encode(FS::Find {u"r1"_s, u"*.iso"_s})},
            {u"offer"_s,
             FS::encode(FS::Offer {u"r1"_s, u"0123456789abcdef"_s, u"a.iso"_s, 734003200, sha, 2,
                                   pk})},
            {u"get"_s, FS::encode(FS::Get {u"t1"_s, u"0123456789abcdef"_s, candidates, pk})},
            {u"get-by-sha"_s, FS::encode(FS::Get {u"t2"_s, sha, {}, pk})},
            {u"accept"_s,
             FS::encode(FS::Accept {u"t1"_s, token, 40001, candidates, 734003200, sha, pk})},
            {u"refuse"_s, FS::encode(FS::Refuse {u"t1"_s, u"busy"_s})},
            {u"announce"_s,
             FS::encode(FS::Announce {u"0123456789abcdef"_s, u"a.iso"_s, 734003200, sha})},
            {u"relay-offer"_s,
             FS::encode(FS::RelayOffer {u"t1"_s, u"198.51.100.4"_s, 7002, token})},
            {u"pause"_s, FS::encode(FS::Pause {u"t1"_s})},
    };
    Seeds out;
    for (const auto &[name, body] : bodies)
        out.push_back({name, QCborValue(body).toCbor()});
    return out;
}
