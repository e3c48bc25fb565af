#pragma once
// The endpoint's rendezvous traffic (docs/NAT.md), on the engine thread and through the
// transfer socket, so that the NAT mappings it learns and opens are the ones transfers use:
// - binding probes to the client's server (reflexive address), repeated as a NAT keepalive;
// - punch datagrams to a downloader's candidates while it probes ours;
// - relay binds to a server's relay session until the relay confirms.
// Pure logic with an injected clock and a send function; the Engine feeds it datagrams.
#include <transfer/io/transferclock.h>
#include <transfer/wire/rendezvouspacket.h>

#include <QByteArray>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace Transfer {

class Rendezvous
{
public:
    using Send = std::function<void(std::span<const std::byte>, const PeerAddress &)>;

    static constexpr std::chrono::milliseconds kFirstProbeInterval {250};
    static constexpr std::chrono::seconds kKeepaliveInterval {20};
    static constexpr std::chrono::milliseconds kPunchInterval {200};
    static constexpr std::chrono::milliseconds kRelayBindInterval {250};
    static constexpr std::chrono::seconds kRelayBindPatience {10};
    static constexpr std::size_t kMaxPunches = 32;
    static constexpr std::size_t kMaxRelays = 64;

    explicit Rendezvous(Send send);

    // The server to probe; nullopt stops probing (and forgets the reflexive address).
    void setServer(std::optional<PeerAddress> server, TimePoint now);
    [[nodiscard]] std::optional<PeerAddress> reflexive() const { return m_reflexive; }

    void addPunch(const PunchId &id, std::vector<PeerAddress> targets, TimePoint until,
                  TimePoint now);
    void addRelayBinding(const PeerAddress &relay, const RelayToken &token, TimePoint now);
    // A relay this endpoint bound (or is binding) to: traffic from it is relayed.
    [[nodiscard]] bool isRelay(const PeerAddress &address) const;

    struct Event
    {
        // None: not for us (the caller counts it); Consumed: ours, nothing new.
        enum class Type : quint8 { None, Consumed, ReflexiveChanged, RelayBound, Punch };
        Type type = Type::None;
        PeerAddress address; // the reflexive address, the relay, or the punch's source
        int endpoints = 0; // RelayBound
        PunchId punch {}; // Punch
    };
    // A rendezvous datagram; Type::None when it was not for us (caller counts it).
    Event onPacket(const PacketView &packet, const PeerAddress &from, TimePoint now);

    void service(TimePoint now);
    [[nodiscard]] std::optional<TimePoint> nextDeadline() const;

private:
    struct Punch
    {
        PunchId id {};
        std::vector<PeerAddress> targets;
        TimePoint until {};
        TimePoint next {};
    };
    struct RelayBinding
    {
        PeerAddress relay;
        RelayToken token {};
        Cookie cookie {}; // the relay's challenge, echoed in every bind after it
        TimePoint giveUp {};
        TimePoint next {};
        bool confirmed = false;
    };

    void probe(TimePoint now);
    void sendBind(const RelayBinding &r);

    Send m_send;
    std::optional<PeerAddress> m_server;
    std::optional<PeerAddress> m_reflexive;
    std::deque<TransactionId> m_transactions; // the last few probes' ids
    TimePoint m_nextProbe {};
    std::chrono::milliseconds m_probeInterval = kFirstProbeInterval;
    std::vector<Punch> m_punches;
    std::deque<RelayBinding> m_relays;
    std::array<std::byte, 128> m_buffer {};
};

} // namespace Transfer
