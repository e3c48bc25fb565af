// Engine: the rendezvous side of the transfer socket (binding probes, punches, relay binds).
#include <transfer/connection/engine.h>

#include <transfer/connection/downloadconnection.h>
#include <transfer/connection/handshakecrypto.h>
#include <transfer/connection/uploadconnection.h>
#include <transfer/io/transferlogging.h>

#include <crypto/x25519.h>

#include <crypto/sha256.h>

#include <QFile>
#include <QFutureWatcher>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Transfer {

void Engine::setRendezvousServer(const QHostAddress &address, quint16 port)
{
    const TimePoint now = Clock::now();
    if (address.isNull() || port == 0)
        m_rendezvous.setServer(std::nullopt, now);
    else
        m_rendezvous.setServer(PeerAddress::fromQt(address, port), now);
    pump();
}

void Engine::punch(const QByteArray &token, const QList<Candidate> &candidates, qint64 durationMs)
{
    constexpr std::size_t kMaxExpected = 256;
    const TimePoint now = Clock::now();
    TokenBytes t {};
    std::memcpy(t.data(), token.constData(), std::min<std::size_t>(16, std::size_t(token.size())));
    if (m_expectedPeers.size() >= kMaxExpected)
        m_expectedPeers.pop_front();
    m_expectedPeers.emplace_back(t, candidates);
    std::vector<PeerAddress> targets;
    for (const Candidate &c : candidates) {
        if (c.kind != CandidateKind::Relay && !c.address.isNull() && c.port != 0)
            targets.push_back(PeerAddress::fromQt(c.address, c.port));
    }
    const auto bytes = std::as_bytes(std::span(token.constData(), std::size_t(token.size())));
    m_rendezvous.addPunch(punchIdForToken(bytes), std::move(targets),
                          now + std::chrono::milliseconds(durationMs), now);
    pump();
}

void Engine::bindRelay(const QHostAddress &address, quint16 port, const QByteArray &relayToken)
{
    RelayToken t {};
    std::memcpy(t.data(), relayToken.constData(),
                std::min<std::size_t>(t.size(), std::size_t(relayToken.size())));
    m_rendezvous.addRelayBinding(PeerAddress::fromQt(address, port), t, Clock::now());
    pump();
}

PathKind Engine::uploadPath(const PeerAddress &peer, const TokenBytes &token) const
{
    if (m_rendezvous.isRelay(peer))
        return PathKind::Relayed;
    for (const auto &[t, candidates] : m_expectedPeers) {
        if (t == token)
            return classifyPath(peer.toQt(), peer.port, candidates);
    }
    return classifyPath(peer.toQt(), peer.port, {});
}

void Engine::handleRendezvous(const PacketView &packet, const PeerAddress &peer, TimePoint now)
{
    using Type = Rendezvous::Event::Type;
    const Rendezvous::Event e = m_rendezvous.onPacket(packet, peer, now);
    switch (e.type) {
    case Type::None:
        ++m_counters.rendezvous;
        break;
    case Type::Consumed:
        break;
    case Type::ReflexiveChanged:
        qCInfo(lcTransfer) << "reflexive address" << e.address.toString();
        Q_EMIT reflexiveAddressChanged(e.address.toQt(), e.address.port);
        break;
    case Type::RelayBound:
        Q_EMIT relayBound(e.address.toQt(), e.address.port, e.endpoints);
        break;
    case Type::Punch: {
        bool used = false;
        for (auto &[cid, c] : m_connections) {
            auto *d = dynamic_cast<DownloadConnection *>(c.get());
            if (d && d->isProbing() && d->punchId() == e.punch) {
                d->addCandidate(peer, CandidateKind::PeerReflexive, now);
                used = true;
            }
        }
        if (!used)
            ++m_counters.rendezvous; // late, or not for a download of ours
        break;
    }
    }
}

} // namespace Transfer
