#pragma once
// The race of the uploader's candidate addresses during a download's handshake (docs/NAT.md):
// the HELLO goes to every candidate at once and again on a backed-off schedule, the first
// candidate whose answer arrives wins and becomes the only address, and the handshake gives up
// when nothing answered by its deadline. Pure logic with the time passed in: the caller encodes
// and sends the HELLOs, reports what it sent and which address answered.
#include <transfer/io/transferclock.h>
#include <transfer/transfertypes.h>
#include <transfer/wire/peeraddress.h>

#include <QList>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace Transfer {

class CandidateProber
{
public:
    static constexpr std::chrono::milliseconds kFirstHelloTimeout {250};
    static constexpr std::chrono::seconds kMaxHelloInterval {1};
    // At most ~19 KB/s of 1200-byte HELLOs during the probing (docs/NAT.md, "Limits").
    static constexpr std::size_t kMaxCandidates = 16;

    struct Probe
    {
        PeerAddress address;
        CandidateKind kind = CandidateKind::Host;
    };

    // The usable offered candidates (an address and a port), in order, without duplicates, at
    // most kMaxCandidates; `fallback` as a host candidate when none is usable. With a single
    // candidate there is nothing to choose: it has won already.
    CandidateProber(const QList<Candidate> &offered, const PeerAddress &fallback);

    // The handshake gives up when nothing answered within `timeout` of `now`.
    void start(TimePoint now, Duration timeout);

    [[nodiscard]] bool isProbing() const { return !m_winner.has_value(); }
    [[nodiscard]] bool isCandidate(const PeerAddress &address) const;
    [[nodiscard]] const std::vector<Probe> &candidates() const { return m_candidates; }
    // The candidate that answered first; nullptr while probing.
    [[nodiscard]] const Probe *winner() const;
    // Where the connection's datagrams go: the winner, or the first candidate until one wins.
    [[nodiscard]] const PeerAddress &peer() const;

    // A candidate learnt while probing (a punch from a new source). True when it was added: the
    // caller then sends it a HELLO at once, since its NAT mapping towards us is open now, and
    // reports that with noteExtraHelloSent().
    bool addCandidate(const PeerAddress &address, CandidateKind kind);
    // A candidate raced in beside the others (a relay session): the handshake waits for it at
    // least until `answerBy`, and the next HELLO goes out within kFirstHelloTimeout, since a
    // relay forwards only once both ends are bound, a moment after it is offered.
    void waitForRacedCandidate(TimePoint now, TimePoint answerBy);

    // A handshake answer from `from`: the first one from a candidate while probing wins and is
    // returned; nullptr when it decided nothing (a stranger, or a late loser).
    const Probe *onAnswerFrom(const PeerAddress &from);

    // The HELLO schedule: due at once after start(), then after 250 ms, 500 ms, every second.
    [[nodiscard]] bool isHelloDue(TimePoint now) const { return now >= m_nextHelloAt; }
    // Who gets the HELLO: every candidate while probing, then only the winner.
    [[nodiscard]] std::span<const Probe> helloTargets() const;
    // The HELLO went to helloTargets() at `now`: the next one after the current interval,
    // which doubles up to kMaxHelloInterval.
    void onHelloSent(TimePoint now);
    // A HELLO outside the schedule (to a new candidate): it counts for the RTT sample only.
    void noteExtraHelloSent(TimePoint now);
    // A changed HELLO (it carries the cookie now) starts its backoff afresh.
    void restartBackoff() { m_helloInterval = kFirstHelloTimeout; }
    // A valid answer to the HELLO at `now`: its round trip, unless the HELLO was sent more than
    // once and the answer could be to any copy (Karn). Starts counting the next HELLO afresh.
    [[nodiscard]] std::optional<Duration> takeRttSample(TimePoint now);

    [[nodiscard]] bool hasTimedOut(TimePoint now) const { return now > m_giveUpAt; }
    [[nodiscard]] TimePoint giveUpAt() const { return m_giveUpAt; }
    [[nodiscard]] TimePoint nextDeadline() const { return std::min(m_nextHelloAt, m_giveUpAt); }

private:
    void noteSending(TimePoint now);

    std::vector<Probe> m_candidates;
    std::optional<std::size_t> m_winner;
    TimePoint m_giveUpAt {};
    TimePoint m_nextHelloAt {};
    std::chrono::milliseconds m_helloInterval = kFirstHelloTimeout;
    TimePoint m_firstSentAt {}; // the first copy of the HELLO now awaiting an answer
    unsigned m_sendings = 0; // times it was sent; copies sent at one instant are one sending
};

} // namespace Transfer
