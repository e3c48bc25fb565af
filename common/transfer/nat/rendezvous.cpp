#include <transfer/nat/rendezvous.h>

#include <transfer/io/transferlogging.h>
#include <transfer/wire/randombytes.h>

#include <algorithm>

namespace Transfer {

namespace {
constexpr std::size_t kRememberedTransactions = 4;
}

Rendezvous::Rendezvous(Send send)
    : m_send(std::move(send))
{ }

void Rendezvous::setServer(std::optional<PeerAddress> server, TimePoint now)
{
    if (server == m_server)
        return;
    m_server = server;
    m_reflexive.reset();
    m_transactions.clear();
    m_probeInterval = kFirstProbeInterval;
    if (m_server)
        probe(now);
}

void Rendezvous::probe(TimePoint now)
{
    TransactionId txid {};
    fillRandom(txid);
    m_transactions.push_back(txid);
    while (m_transactions.size() > kRememberedTransactions)
        m_transactions.pop_front();
    if (const std::size_t n = encodeBindRequest(m_buffer, txid))
        m_send(std::span(m_buffer).first(n), *m_server);
    // Quick retries until the first answer, then the keepalive period.
    m_nextProbe
            = now + (m_reflexive ? std::chrono::milliseconds(kKeepaliveInterval) : m_probeInterval);
    m_probeInterval = std::min<std::chrono::milliseconds>(m_probeInterval * 2, kKeepaliveInterval);
}

void Rendezvous::addPunch(const PunchId &id, std::vector<PeerAddress> targets, TimePoint until,
                          TimePoint now)
{
    if (targets.empty())
        return;
    if (m_punches.size() >= kMaxPunches)
        m_punches.erase(m_punches.begin());
    m_punches.push_back({id, std::move(targets), until, now});
    service(now);
}

void Rendezvous::addRelayBinding(const PeerAddress &relay, const RelayToken &token, TimePoint now)
{
    for (const RelayBinding &r : m_relays) {
        if (r.relay == relay && r.token == token)
            return;
    }
    if (m_relays.size() >= kMaxRelays)
        m_relays.pop_front();
    m_relays.push_back({relay, token, {}, now + kRelayBindPatience, now, false});
    service(now);
}

bool Rendezvous::isRelay(const PeerAddress &address) const
{
    return std::any_of(m_relays.begin(), m_relays.end(),
                       [&address](const RelayBinding &r) { return r.relay == address; });
}

Rendezvous::Event Rendezvous::onPacket(const PacketView &packet, const PeerAddress &from,
                                       TimePoint now)
{
    Event e;
    switch (packet.header.type) {
    case PacketType::BindResponse: {
        const auto response = decodeBindResponse(packet.body);
        if (!response || !m_server || !(from == *m_server)
            || std::find(m_transactions.begin(), m_transactions.end(), response->transaction)
                    == m_transactions.end())
            return e;
        const bool changed = !m_reflexive || !(*m_reflexive == response->observed);
        if (!m_reflexive)
            m_nextProbe = now + kKeepaliveInterval; // answered: keepalive pace from now on
        m_reflexive = response->observed;
        e.type = changed ? Event::Type::ReflexiveChanged : Event::Type::Consumed;
        e.address = response->observed;
        return e;
    }
    case PacketType::RelayBound: {
        const auto bound = decodeRelayBound(packet.body);
        if (!bound)
            return e;
        for (RelayBinding &r : m_relays) {
            if (r.relay == from && r.token == bound->token) {
                if (bound->endpoints == 0) {
                    // A challenge: prove the round trip at once with its cookie.
                    e.type = Event::Type::Consumed;
                    if (!r.confirmed && r.cookie != bound->cookie) {
                        r.cookie = bound->cookie;
                        sendBind(r);
                        r.next = now + kRelayBindInterval;
                    }
                    return e;
                }
                r.confirmed = true;
                e.type = Event::Type::RelayBound;
                e.address = from;
                e.endpoints = bound->endpoints;
                return e;
            }
        }
        return e;
    }
    case PacketType::Punch: {
        const auto id = decodePunch(packet.body);
        if (!id)
            return e;
        e.type = Event::Type::Punch;
        e.address = from;
        e.punch = *id;
        return e;
    }
    default:
        return e; // requests are for servers
    }
}

void Rendezvous::service(TimePoint now)
{
    if (m_server && now >= m_nextProbe)
        probe(now);
    for (auto it = m_punches.begin(); it != m_punches.end();) {
        if (now >= it->until) {
            it = m_punches.erase(it);
            continue;
        }
        if (now >= it->next) {
            if (const std::size_t n = encodePunch(m_buffer, it->id)) {
                for (const PeerAddress &t : it->targets)
                    m_send(std::span(m_buffer).first(n), t);
            }
            it->next = now + kPunchInterval;
        }
        ++it;
    }
    for (RelayBinding &r : m_relays) {
        if (r.confirmed || now >= r.giveUp || now < r.next)
            continue;
        sendBind(r);
        r.next = now + kRelayBindInterval;
    }
}

void Rendezvous::sendBind(const RelayBinding &r)
{
    if (const std::size_t n = encodeRelayBind(m_buffer, {r.token, r.cookie}))
        m_send(std::span(m_buffer).first(n), r.relay);
}

std::optional<TimePoint> Rendezvous::nextDeadline() const
{
    std::optional<TimePoint> next;
    auto consider = [&next](TimePoint t) { next = next ? std::min(*next, t) : t; };
    if (m_server)
        consider(m_nextProbe);
    for (const Punch &p : m_punches)
        consider(std::min(p.next, p.until));
    for (const RelayBinding &r : m_relays) {
        if (!r.confirmed && r.giveUp > r.next)
            consider(r.next);
    }
    return next;
}

} // namespace Transfer
