#include <client/filecontext.h>

#include <QNetworkInterface>

#include <algorithm>

namespace Client {

namespace FS = FileSignal;

FileSignal::Candidates FileContext::localCandidates() const
{
    FS::Candidates out;
    if (!endpoint)
        return out;
    const quint16 port = endpoint->localPort();
    const QHostAddress bound = settings.bindAddress;
    const qsizetype hostSlots = FS::MaxCandidates - (reflexive ? 1 : 0);
    // Every interface address of the families the socket is bound to (QHostAddress::Any is
    // dual-stack): IPv4 first, then IPv6 global and unique-local ones. Link-local IPv6 needs a
    // scope the peer cannot know, and loopback ::1 is never another host.
    const bool v4 = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4;
    const bool v6 = bound == QHostAddress::Any || bound == QHostAddress::AnyIPv6;
    if (v4 || v6) {
        const auto addresses = QNetworkInterface::allAddresses();
        for (const auto &a : addresses) {
            if (v4 && out.size() < hostSlots && a.protocol() == QHostAddress::IPv4Protocol)
                out.append({a, port, Transfer::CandidateKind::Host});
        }
        for (const auto &a : addresses) {
            if (v6 && out.size() < hostSlots && a.protocol() == QHostAddress::IPv6Protocol
                && !a.isLoopback() && !a.isLinkLocal() && !a.isMulticast())
                out.append({a, port, Transfer::CandidateKind::Host});
        }
    } else {
        out.append({bound, port, Transfer::CandidateKind::Host});
    }
    if (reflexive)
        out.append(*reflexive);
    return out;
}

void takeProgress(TransferInfo &info, RateMeter &meter, const Transfer::TransferStats &s,
                  const FileContext &context)
{
    if (const QString path = Transfer::pathKindName(s.path); !path.isEmpty())
        info.path = path;
    info.bytesDone = qint64(s.doneBytes);
    // From the byte counter on both sides (the engine's own recent figure may be absent).
    // The first report comes up to a stats period after the bytes began to flow: a baseline
    // taken now would make the first bytes look faster than they came, above a rate limit.
    // The baseline is when the connection was made instead.
    // A download's rate follows the bytes as they arrive, not the verified chunks, so it is
    // live from the first packet on (the CLI's progress line showed "0 KiB/s" until the first
    // chunk was verified, and between chunks of a slow transfer).
    // An uploader's rate follows what it sends, which is what its cap paces: ACKs come a round
    // trip late and in bursts (a stalled receiver's are read at once), so a rate taken from them
    // read above the cap while the sender kept to it.
    info.movedBytes = qint64(std::max(s.receivedBytes, s.sentBytes));
    info.elapsedMs = qint64(s.ageUs / 1000); // the graph's clock (RateHistory)
    const qint64 counter = info.meteredBytes();
    if (meter.isEmpty())
        meter.add(context.now() - qint64(s.ageUs / 1000), counter);
    meter.add(context.now(), counter);
    // The meter's window (3 s) first: the engine's figure covers one stats period (250 ms),
    // and an uploader's counter moves with ACKs, which arrive in bursts; over 250 ms a burst
    // read as a rate above the upload cap that the sender never exceeded.
    const double metered = meter.rate(context.now());
    info.rateBytesPerSecond = metered > 0 ? metered : s.recentGoodput;
    info.rttMs = double(s.rttUs) / 1000.0;
    info.congestionRate = double(s.pacingRate);
    // One definition on both sides (TransferStats::resentRatio), so the uploader's and the
    // downloader's Resent columns show the same figure for the same transfer.
    info.retransmitRatio = s.resentRatio();
    info.spuriousRatio = s.spuriousRatio();
}

} // namespace Client
