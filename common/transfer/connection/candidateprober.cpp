#include <transfer/connection/candidateprober.h>

#include <algorithm>

namespace Transfer {

CandidateProber::CandidateProber(const QList<Candidate> &offered, const PeerAddress &fallback)
{
    for (const Candidate &c : offered) {
        const PeerAddress a = PeerAddress::fromQt(c.address, c.port);
        if (c.port != 0 && !c.address.isNull() && !isCandidate(a)
            && m_candidates.size() < kMaxCandidates)
            m_candidates.push_back({a, c.kind});
    }
    if (m_candidates.empty())
        m_candidates.push_back({fallback, CandidateKind::Host});
    if (m_candidates.size() == 1)
        m_winner = 0;
}

void CandidateProber::start(TimePoint now, Duration timeout)
{
    m_giveUpAt = now + timeout;
}

bool CandidateProber::isCandidate(const PeerAddress &address) const
{
    return std::any_of(m_candidates.begin(), m_candidates.end(),
                       [&address](const Probe &p) { return p.address == address; });
}

const CandidateProber::Probe *CandidateProber::winner() const
{
    return m_winner ? &m_candidates[*m_winner] : nullptr;
}

const PeerAddress &CandidateProber::peer() const
{
    return m_candidates[m_winner.value_or(0)].address;
}

bool CandidateProber::addCandidate(const PeerAddress &address, CandidateKind kind)
{
    if (!isProbing() || m_candidates.size() >= kMaxCandidates || isCandidate(address))
        return false;
    m_candidates.push_back({address, kind});
    return true;
}

void CandidateProber::waitForRacedCandidate(TimePoint now, TimePoint answerBy)
{
    m_giveUpAt = std::max(m_giveUpAt, answerBy);
    // Not the backed-off interval the other candidates reached.
    m_helloInterval = kFirstHelloTimeout;
    m_nextHelloAt = std::min(m_nextHelloAt, now + kFirstHelloTimeout);
}

const CandidateProber::Probe *CandidateProber::onAnswerFrom(const PeerAddress &from)
{
    if (!isProbing())
        return nullptr;
    const auto it = std::find_if(m_candidates.begin(), m_candidates.end(),
                                 [&from](const Probe &p) { return p.address == from; });
    if (it == m_candidates.end())
        return nullptr;
    m_winner = std::size_t(it - m_candidates.begin());
    return &*it;
}

std::span<const CandidateProber::Probe> CandidateProber::helloTargets() const
{
    const std::span<const Probe> all(m_candidates);
    return m_winner ? all.subspan(*m_winner, 1) : all;
}

void CandidateProber::onHelloSent(TimePoint now)
{
    noteSending(now);
    m_nextHelloAt = now + m_helloInterval;
    m_helloInterval = std::min<std::chrono::milliseconds>(m_helloInterval * 2, kMaxHelloInterval);
}

void CandidateProber::noteExtraHelloSent(TimePoint now)
{
    noteSending(now);
}

void CandidateProber::noteSending(TimePoint now)
{
    // Copies sent together (one per candidate) are one sending: an answer times any of them.
    if (m_sendings == 0 || now != m_firstSentAt)
        ++m_sendings;
    if (m_sendings == 1)
        m_firstSentAt = now;
}

std::optional<Duration> CandidateProber::takeRttSample(TimePoint now)
{
    std::optional<Duration> sample;
    if (m_sendings == 1)
        sample = now - m_firstSentAt;
    m_sendings = 0;
    return sample;
}

} // namespace Transfer
