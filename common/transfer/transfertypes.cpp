#include <transfer/transfertypes.h>

#include <optional>

using namespace Qt::StringLiterals;

namespace Transfer {

QString transferErrorName(TransferError error)
{
    switch (error) {
    case TransferError::None:
        return u"none"_s;
    case TransferError::Busy:
        return u"busy"_s;
    case TransferError::Refused:
        return u"refused"_s;
    case TransferError::Unreachable:
        return u"unreachable"_s;
    case TransferError::PeerGone:
        return u"peer gone"_s;
    case TransferError::Verification:
        return u"verification failed"_s;
    case TransferError::Disk:
        return u"disk"_s;
    case TransferError::Cancelled:
        return u"cancelled"_s;
    case TransferError::Content:
        return u"content not offered"_s;
    case TransferError::PeerIdentity:
        return u"not the offered peer"_s;
    }
    return u"unknown"_s;
}

namespace {
bool isPrivateV4(const QHostAddress &a)
{
    return a.isInSubnet(QHostAddress(u"10.0.0.0"_s), 8)
            || a.isInSubnet(QHostAddress(u"172.16.0.0"_s), 12)
            || a.isInSubnet(QHostAddress(u"192.168.0.0"_s), 16);
}
} // namespace

QString pathKindName(PathKind kind)
{
    switch (kind) {
    case PathKind::DirectLan:
        return u"direct-lan"_s;
    case PathKind::DirectPunched:
        return u"direct-punched"_s;
    case PathKind::Relayed:
        return u"relayed"_s;
    case PathKind::Unknown:
        break;
    }
    return {};
}

PathKind pathKindOf(CandidateKind kind)
{
    switch (kind) {
    case CandidateKind::Host:
        return PathKind::DirectLan;
    case CandidateKind::Reflexive:
    case CandidateKind::PeerReflexive:
        return PathKind::DirectPunched;
    case CandidateKind::Relay:
        return PathKind::Relayed;
    }
    return PathKind::Unknown;
}

PathKind classifyPath(const QHostAddress &address, quint16 port, const QList<Candidate> &candidates)
{
    // A relay or host match wins over a reflexive one: on loopback a peer's reflexive address
    // equals its host address, and that path is a LAN path.
    std::optional<CandidateKind> best;
    for (const Candidate &c : candidates) {
        if (c.port != port || !c.address.isEqual(address, QHostAddress::TolerantConversion))
            continue;
        if (!best || c.kind == CandidateKind::Relay
            || (c.kind == CandidateKind::Host && *best != CandidateKind::Relay))
            best = c.kind;
    }
    if (best)
        return pathKindOf(*best);
    const bool local = address.isLoopback() || address.isLinkLocal()
            || address.isUniqueLocalUnicast() || isPrivateV4(address);
    return local ? PathKind::DirectLan : PathKind::DirectPunched;
}

void registerTransferMetaTypes()
{
    qRegisterMetaType<TransferStats>();
    qRegisterMetaType<TransferResult>();
    qRegisterMetaType<TransferError>();
    qRegisterMetaType<FileOffer>();
    qRegisterMetaType<DownloadRequest>();
    qRegisterMetaType<EndpointCounters>();
    qRegisterMetaType<Candidate>();
}

} // namespace Transfer
