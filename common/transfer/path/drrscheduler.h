#pragma once

// Deficit Round Robin (Shreedhar & Varghese 1995) over the transfers sharing one peer path.
// The path decides *when* a datagram may leave (congestion window, pacer); this decides
// *whose* it is. Each member's turn adds one quantum (PeerPath: 16 datagrams) to its deficit;
// it keeps the turn while the deficit is positive and it has something to send, and is
// charged the bytes it actually sent (the deficit may go below zero by less than one
// datagram, repaid next turn, so short datagrams such as chunk hashes cost what they weigh).
// A member with nothing to send when its turn comes (no data, no receiver credit, its own
// rate cap) loses the turn and its deficit: nobody hoards more than one quantum.
//
// Members are opaque keys; the caller says who is ready through a predicate. Pure logic, no
// clock: unit-tested with synthetic members.

#include <cstdint>
#include <optional>
#include <vector>

namespace Transfer {

class DrrScheduler
{
public:
    using Key = const void *;

    explicit DrrScheduler(std::uint32_t quantum = 1200);

    // A new member joins at the end of the round; adding a present key does nothing.
    void add(Key key);
    // Leaves at once; the round continues with the next member.
    void remove(Key key);
    [[nodiscard]] bool contains(Key key) const;
    [[nodiscard]] std::size_t size() const { return m_members.size(); }
    [[nodiscard]] bool isEmpty() const { return m_members.empty(); }

    // The member that may send the next datagram, walking the round from the current turn:
    // `ready(key)` says whether a member has something to send now. nullopt when nobody has.
    template<typename Ready>
    [[nodiscard]] std::optional<Key> next(Ready &&ready)
    {
        // At most one full round plus the current member: every member is asked once.
        for (std::size_t i = 0; i <= m_members.size() && !m_members.empty(); ++i) {
            Member &m = m_members[m_current];
            if (ready(m.key)) {
                if (!m.inTurn) {
                    m.inTurn = true;
                    m.deficit += std::int64_t(m_quantum);
                }
                if (m.deficit > 0)
                    return m.key;
                endTurn(); // spent its quantum: next member
            } else {
                endTurn(); // nothing to send: forfeits the turn and what is left of it
            }
        }
        return std::nullopt;
    }

    // Charges the member that next() returned for the datagram it sent.
    void charge(Key key, std::uint32_t bytes);
    // The member returned by next() could not send after all: its turn ends like an idle one.
    void skip(Key key);

    [[nodiscard]] std::int64_t deficit(Key key) const;
    [[nodiscard]] std::uint32_t quantum() const { return m_quantum; }

private:
    struct Member
    {
        Key key = nullptr;
        std::int64_t deficit = 0;
        bool inTurn = false;
    };

    // Ends the current member's turn; unused credit is dropped, a debt is kept.
    void endTurn();
    [[nodiscard]] std::optional<std::size_t> indexOf(Key key) const;

    std::uint32_t m_quantum;
    std::vector<Member> m_members;
    std::size_t m_current = 0;
};

} // namespace Transfer
