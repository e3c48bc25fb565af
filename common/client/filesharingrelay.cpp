// FileSharing's relay side of a download: asking our server for a relay session, racing it
// beside the direct candidates, and what its answers do (docs/NAT.md).
#include "client/clientcore.h"
#include "client/filesharing.h"
#include "client/logging.h"

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

void FileSharing::requestRelay(Download &d)
{
    // The uploader's token is still unused (it is consumed by the handshake only).
    d.relayTried = true;
    d.engineId = 0;
    d.relayRequest = m_core->openUdpRelay();
    qCInfo(lcClient) << d.info.id << "asking our server for a relay";
}

void FileSharing::raceRelay(Download &d)
{
    d.relayTried = true;
    d.relayRequest = m_core->openUdpRelay();
    qCInfo(lcClient) << d.info.id << "no direct answer yet: racing a relay beside the probing";
}

void FileSharing::onRelayOpened(quint32 request, quint16 port, const QByteArray &token)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.relayRequest != request || d.info.state != TransferInfo::State::Connecting)
            continue;
        d.relayRequest = 0;
        d.relayPort = port;
        // The relay is on our server, at the address we reach it by; the uploader binds to it
        // through the room, we bind from our transfer socket, then HELLO goes through it.
        const QHostAddress relay = m_core->serverAddress();
        m_endpoint->bindRelay(relay, port, token);
        m_core->relay(d.acceptRoom, QLatin1StringView(FS::KindRelayOffer),
                      FS::encode(FS::RelayOffer {d.requestTag, relay.toString(), port, token}),
                      {d.current.peerId});
        const Transfer::Candidate candidate {relay, port, Transfer::CandidateKind::Relay};
        if (d.engineId != 0) // still probing the direct candidates: race the relay in
            m_endpoint->addCandidate(d.engineId, candidate);
        else
            startEngineDownload(d, {candidate}, Transfer::DownloadOptions {}.handshakeTimeout);
        return;
    }
    // The download went direct, ended or moved on meanwhile: the session is not needed.
    m_core->closeUdpRelay(port);
}

void FileSharing::onRelayRefused(quint32 request, const QString &reason)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.relayRequest == request && d.info.state == TransferInfo::State::Connecting) {
            d.relayRequest = 0;
            if (d.engineId != 0) { // raced: the direct candidates are still being probed
                qCInfo(lcClient) << d.info.id << "no relay to race:" << reason;
                return;
            }
            return sourceFailed(d, u"no direct path and no relay: "_s + reason, false);
        }
    }
}

} // namespace Client
