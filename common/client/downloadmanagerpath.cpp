// DownloadManager, how a download reaches its source: the accept's candidates probed at once,
// a relay on our server raced beside them or asked for as the last resort, and what our
// server's answers do (docs/NAT.md).
#include <client/downloadmanager.h>

#include <client/clientcore.h>
#include <client/clientlogging.h>

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Client {

namespace FS = FileSignal;

void DownloadManager::handleAccept(const Protocol::Relayed &r, const FS::Accept &m)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.requestTag != m.transferId || d.info.state != TransferInfo::State::Requesting)
            continue;
        if (r.from.id != d.current.peerId || m.sha256 != d.info.sha256 || m.size != d.info.size)
            break; // not the peer we asked, or not the content: ignore it
        if (m_context.core->hasUntrustedKey(r.from))
            return sourceFailed(d,
                                u"the identity key of %1 changed since it was trusted ('trust %1' "
                                "if you know why)"_s.arg(r.from.nick),
                                false);
        // The uploader must sign the transfer with the key it offered with.
        const auto offered = m_offerKeys.constFind(r.from.id);
        if (!isSendersKey(r, m.publicKey)
            || (offered != m_offerKeys.cend() && *offered != m.publicKey))
            return sourceFailed(d, u"the uploader's identity key does not match its offer"_s,
                                false);
        d.accept = m;
        d.acceptRoom = r.room;
        d.relayTried = false;
        d.relayRequest = 0;
        d.startAnnounced = false;
        setState(d, TransferInfo::State::Connecting);
        if (m_context.settings.forceRelay)
            return requestRelay(d);
        // Every candidate at once (docs/NAT.md): the uploader's interface addresses, its
        // reflexive address, and the address its server saw with its port as a last guess.
        FS::Candidates candidates;
        const FS::Candidates own = m_context.localCandidates();
        for (const Transfer::Candidate &c : m.candidates) {
            // A peer's loopback or LAN address with our own port would be ourselves.
            const bool self = std::any_of(own.begin(), own.end(), [&](const auto &o) {
                return o.port == c.port && o.address.isEqual(c.address);
            });
            if (!self)
                candidates.append(c);
        }
        const QHostAddress seen(r.from.ip);
        const bool seenListed = std::any_of(candidates.begin(), candidates.end(),
                                            [&](const Transfer::Candidate &c) {
                                                return c.address.isEqual(seen) && c.port == m.port;
                                            });
        if (!seen.isNull() && !seenListed)
            candidates.append({seen, m.port, Transfer::CandidateKind::Reflexive});
        if (candidates.isEmpty())
            return sourceFailed(d, u"no usable address"_s, false);
        startEngineDownload(d, candidates, m_context.settings.punchTimeout);
        // The direct candidates' head start; then the relay races them (docs/NAT.md).
        QTimer::singleShot(m_context.settings.relayRaceDelay, this, [this, engineId = d.engineId] {
            Download *raced = downloadByEngineId(engineId);
            if (raced && raced->info.state == TransferInfo::State::Connecting && !raced->relayTried)
                raceRelay(*raced);
        });
        return;
    }
}

void DownloadManager::startEngineDownload(Download &d, const FS::Candidates &candidates,
                                          std::chrono::milliseconds handshakeTimeout)
{
    Transfer::DownloadRequest req;
    req.peer = candidates.first().address;
    req.port = candidates.first().port;
    req.candidates = candidates;
    req.token = d.accept.token;
    req.uploaderKey = d.accept.publicKey;
    req.size = quint64(d.accept.size);
    req.sha256 = FS::sha256Raw(d.accept.sha256);
    req.destination = d.info.localPath;
    req.options.mode = m_context.settings.mode;
    req.options.idleTimeout = m_context.settings.peerIdleTimeout;
    req.options.handshakeTimeout = handshakeTimeout;
    d.engineId = m_context.endpoint->startDownload(req);
}

void DownloadManager::announceStart(Download &d)
{
    if (d.startAnnounced)
        return;
    d.startAnnounced = true;
    Q_EMIT transferStarted(d.info);
}

void DownloadManager::requestRelay(Download &d)
{
    // The uploader's token is still unused (it is consumed by the handshake only).
    d.relayTried = true;
    d.engineId = 0;
    d.relayRequest = m_context.core->openUdpRelay();
    qCInfo(lcClient) << d.info.id << "asking our server for a relay";
}

void DownloadManager::raceRelay(Download &d)
{
    d.relayTried = true;
    d.relayRequest = m_context.core->openUdpRelay();
    qCInfo(lcClient) << d.info.id << "no direct answer yet: racing a relay beside the probing";
}

void DownloadManager::onRelayOpened(quint32 request, quint16 port, const QByteArray &token)
{
    for (auto &dp : m_downloads) {
        Download &d = *dp;
        if (d.relayRequest != request || d.info.state != TransferInfo::State::Connecting)
            continue;
        d.relayRequest = 0;
        d.relayPort = port;
        // The relay is on our server, at the address we reach it by; the uploader binds to it
        // through the room, we bind from our transfer socket, then HELLO goes through it.
        const QHostAddress relay = m_context.core->serverAddress();
        m_context.endpoint->bindRelay(relay, port, token);
        m_context.core->relay(
                d.acceptRoom, QLatin1StringView(FS::KindRelayOffer),
                FS::encode(FS::RelayOffer {d.requestTag, relay.toString(), port, token}),
                {d.current.peerId});
        const Transfer::Candidate candidate {relay, port, Transfer::CandidateKind::Relay};
        if (d.engineId != 0) // still probing the direct candidates: race the relay in
            m_context.endpoint->addCandidate(d.engineId, candidate);
        else
            startEngineDownload(d, {candidate}, Transfer::DownloadOptions {}.handshakeTimeout);
        return;
    }
    // The download went direct, ended or moved on meanwhile: the session is not needed.
    m_context.core->closeUdpRelay(port);
}

void DownloadManager::onRelayRefused(quint32 request, const QString &reason)
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
