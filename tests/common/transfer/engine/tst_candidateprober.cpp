// CandidateProber, the race of the uploader's candidate addresses during a download's
// handshake, with the time passed in: which candidates are probed, who gets each HELLO, the
// retry backoff, the first answer winning over later ones, raced candidates and giving up.
#include <transfer/connection/candidateprober.h>

#include <QTest>

#include <chrono>

using namespace Transfer;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace Transfer {
// For QCOMPARE's failure messages.
char *toString(const PeerAddress &address)
{
    return QTest::toString(address.toString());
}
} // namespace Transfer

namespace {

const TimePoint t0 = TimePoint {} + 1h;

// A time as milliseconds after t0, which reads better in a failed comparison.
int ms(TimePoint t)
{
    return int(std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count());
}

int ms(std::optional<Duration> rtt)
{
    return rtt ? int(std::chrono::duration_cast<std::chrono::milliseconds>(*rtt).count()) : -1;
}

Candidate candidate(const QString &ip, quint16 port, CandidateKind kind)
{
    return {QHostAddress(ip), port, kind};
}

PeerAddress address(const QString &ip, quint16 port)
{
    return PeerAddress::fromQt(QHostAddress(ip), port);
}

const PeerAddress kFallback = address(u"10.9.9.9"_s, 9);
const PeerAddress kLan = address(u"192.168.1.5"_s, 5000);
const PeerAddress kReflexive = address(u"203.0.113.7"_s, 40000);
const PeerAddress kRelay = address(u"198.51.100.1"_s, 7401);

// A LAN and a reflexive candidate of the uploader, as the signalling offers them.
CandidateProber lanAndReflexive()
{
    return CandidateProber({candidate(u"192.168.1.5"_s, 5000, CandidateKind::Host),
                            candidate(u"203.0.113.7"_s, 40000, CandidateKind::Reflexive)},
                           kFallback);
}

QList<PeerAddress> addressesOf(std::span<const CandidateProber::Probe> probes)
{
    QList<PeerAddress> out;
    for (const CandidateProber::Probe &p : probes)
        out.append(p.address);
    return out;
}

} // namespace

class TestCandidateProber : public QObject
{
    Q_OBJECT

private slots:
    void keepsUsableDistinctCandidatesInOrder()
    {
        const CandidateProber prober(
                {candidate(u"192.168.1.5"_s, 5000, CandidateKind::Host),
                 candidate(u"192.168.1.6"_s, 0, CandidateKind::Host), // no port
                 Candidate {QHostAddress(), 5000, CandidateKind::Host}, // no address
                 candidate(u"192.168.1.5"_s, 5000, CandidateKind::Reflexive), // a duplicate
                 candidate(u"203.0.113.7"_s, 40000, CandidateKind::Reflexive)},
                kFallback);
        QVERIFY(prober.isProbing());
        QCOMPARE(prober.candidates().size(), std::size_t(2));
        QCOMPARE(prober.candidates()[0].address, kLan);
        QCOMPARE(prober.candidates()[0].kind, CandidateKind::Host);
        QCOMPARE(prober.candidates()[1].address, kReflexive);
        QVERIFY(prober.isCandidate(kReflexive));
        QVERIFY(!prober.isCandidate(kFallback));
        QCOMPARE(prober.peer(), kLan); // the first candidate until one wins
        QVERIFY(!prober.winner());
    }

    void capsTheCandidates()
    {
        QList<Candidate> offered;
        for (quint16 port = 1; port <= 20; ++port)
            offered.append(candidate(u"192.168.1.5"_s, port, CandidateKind::Host));
        CandidateProber prober(offered, kFallback);
        QCOMPARE(prober.candidates().size(), CandidateProber::kMaxCandidates);
        QVERIFY(!prober.isCandidate(address(u"192.168.1.5"_s, 17)));
        QVERIFY(!prober.addCandidate(kRelay, CandidateKind::Relay)); // full
        QCOMPARE(prober.helloTargets().size(), CandidateProber::kMaxCandidates);
    }

    void fallsBackToThePeerAddress()
    {
        const CandidateProber prober({candidate(u"192.168.1.6"_s, 0, CandidateKind::Host)},
                                     kFallback);
        QCOMPARE(prober.candidates().size(), std::size_t(1));
        QCOMPARE(prober.peer(), kFallback);
        // A single candidate has nothing to race: it has won already and alone gets the HELLO.
        QVERIFY(!prober.isProbing());
        QVERIFY(prober.winner());
        QCOMPARE(prober.winner()->kind, CandidateKind::Host);
        QCOMPARE(addressesOf(prober.helloTargets()), QList<PeerAddress> {kFallback});
    }

    void singleRelayCandidateHasWonAtOnce()
    {
        CandidateProber prober({candidate(u"198.51.100.1"_s, 7401, CandidateKind::Relay)},
                               kFallback);
        QVERIFY(!prober.isProbing());
        QCOMPARE(prober.winner()->kind, CandidateKind::Relay);
        QCOMPARE(prober.peer(), kRelay);
        QVERIFY(!prober.onAnswerFrom(kRelay)); // nothing left to decide
        QVERIFY(!prober.addCandidate(kLan, CandidateKind::Host));
    }

    void firstAnswerWinsAndLateAnswersChangeNothing()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 8s);
        QCOMPARE(addressesOf(prober.helloTargets()), (QList<PeerAddress> {kLan, kReflexive}));

        // Something that is no candidate decides nothing.
        QVERIFY(!prober.onAnswerFrom(kFallback));
        QVERIFY(prober.isProbing());

        const CandidateProber::Probe *won = prober.onAnswerFrom(kReflexive);
        QVERIFY(won);
        QCOMPARE(won->address, kReflexive);
        QCOMPARE(won->kind, CandidateKind::Reflexive);
        QVERIFY(!prober.isProbing());
        QCOMPARE(prober.peer(), kReflexive);
        QCOMPARE(addressesOf(prober.helloTargets()), QList<PeerAddress> {kReflexive});

        // The losing LAN candidate answers late: the winner stays.
        QVERIFY(!prober.onAnswerFrom(kLan));
        QCOMPARE(prober.winner()->address, kReflexive);
        QCOMPARE(prober.peer(), kReflexive);
        // So does a repeated answer of the winner.
        QVERIFY(!prober.onAnswerFrom(kReflexive));
        // And no candidate joins once the race is decided.
        QVERIFY(!prober.addCandidate(kRelay, CandidateKind::Relay));
        QCOMPARE(prober.candidates().size(), std::size_t(2));
    }

    void retriesBackOffToOneSecond()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 8s);
        QVERIFY(prober.isHelloDue(t0)); // the first HELLO goes at once
        prober.onHelloSent(t0);
        QVERIFY(!prober.isHelloDue(t0 + 249ms));

        // Then after 250 ms, 500 ms, and every second.
        const int expectedMs[] = {250, 750, 1750, 2750, 3750};
        for (const int dueMs : expectedMs) {
            const TimePoint due = t0 + std::chrono::milliseconds(dueMs);
            QCOMPARE(ms(prober.nextDeadline()), dueMs);
            QVERIFY(!prober.isHelloDue(due - 1ns));
            QVERIFY(prober.isHelloDue(due));
            prober.onHelloSent(due);
        }
        QCOMPARE(ms(prober.nextDeadline()), 4750);
    }

    void aNewHelloRestartsTheBackoff()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 8s);
        prober.onHelloSent(t0);
        prober.onHelloSent(t0 + 250ms);
        prober.onHelloSent(t0 + 750ms); // the next interval is a second now
        // The cookie's HELLO after a CHALLENGE: 250 ms again, then doubling.
        prober.restartBackoff();
        prober.onHelloSent(t0 + 800ms);
        QCOMPARE(ms(prober.nextDeadline()), 1050);
        prober.onHelloSent(t0 + 1050ms);
        QCOMPARE(ms(prober.nextDeadline()), 1550);
    }

    void givesUpAfterTheTimeout()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 3s);
        QCOMPARE(ms(prober.giveUpAt()), 3000);
        QVERIFY(!prober.hasTimedOut(t0 + 3s)); // answers count up to the deadline itself
        QVERIFY(prober.hasTimedOut(t0 + 3s + 1ns));
        // Five HELLOs (0, 0.25, 0.75, 1.75, 2.75 s), then the deadline comes before the sixth.
        int sendings = 0;
        for (; sendings < 10 && prober.nextDeadline() < prober.giveUpAt(); ++sendings)
            prober.onHelloSent(std::max(t0, prober.nextDeadline()));
        QCOMPARE(sendings, 5);
        QCOMPARE(ms(prober.nextDeadline()), 3000);
    }

    void racedCandidateIsProbedSoonAndWaitedFor()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 3s);
        prober.onHelloSent(t0);
        prober.onHelloSent(t0 + 250ms);
        prober.onHelloSent(t0 + 750ms); // next at 1.75 s, then every second

        // A relay opens at 1 s: it joins the race, with a handshake time of its own.
        QVERIFY(prober.addCandidate(kRelay, CandidateKind::Relay));
        prober.waitForRacedCandidate(t0 + 1s, t0 + 9s);
        QCOMPARE(addressesOf(prober.helloTargets()),
                 (QList<PeerAddress> {kLan, kReflexive, kRelay}));
        QCOMPARE(ms(prober.nextDeadline()), 1250); // sooner than the backed-off 1.75 s
        QCOMPARE(ms(prober.giveUpAt()), 9000);
        QVERIFY(!prober.hasTimedOut(t0 + 4s)); // past the first deadline
        prober.onHelloSent(t0 + 1250ms);
        QCOMPARE(ms(prober.nextDeadline()), 1500); // the backoff restarted: 250 ms

        // A second race with an earlier deadline does not shorten the wait...
        prober.waitForRacedCandidate(t0 + 1300ms, t0 + 2s);
        QCOMPARE(ms(prober.giveUpAt()), 9000);
        // ...nor delay a HELLO that is due sooner than 250 ms from then.
        prober.onHelloSent(t0 + 1400ms);
        prober.waitForRacedCandidate(t0 + 1500ms, t0 + 2s);
        QCOMPARE(ms(prober.nextDeadline()), 1650);

        const CandidateProber::Probe *won = prober.onAnswerFrom(kRelay);
        QVERIFY(won);
        QCOMPARE(won->kind, CandidateKind::Relay);
        QCOMPARE(prober.peer(), kRelay);
    }

    void addedCandidatesAreDistinct()
    {
        CandidateProber prober = lanAndReflexive();
        QVERIFY(!prober.addCandidate(kLan, CandidateKind::PeerReflexive)); // known already
        const PeerAddress punched = address(u"203.0.113.7"_s, 40123);
        QVERIFY(prober.addCandidate(punched, CandidateKind::PeerReflexive));
        QVERIFY(!prober.addCandidate(punched, CandidateKind::PeerReflexive));
        QCOMPARE(prober.candidates().size(), std::size_t(3));
        QCOMPARE(prober.candidates().back().kind, CandidateKind::PeerReflexive);
        const CandidateProber::Probe *won = prober.onAnswerFrom(punched);
        QVERIFY(won);
        QCOMPARE(won->kind, CandidateKind::PeerReflexive);
    }

    void roundTripOfASingleSending()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 8s);
        prober.onHelloSent(t0);
        prober.noteExtraHelloSent(t0); // a copy at the same instant is the same sending
        QCOMPARE(ms(prober.takeRttSample(t0 + 30ms)), 30);
        // The count starts afresh: the cookie's HELLO is timed on its own.
        prober.onHelloSent(t0 + 31ms);
        QCOMPARE(ms(prober.takeRttSample(t0 + 41ms)), 10);
        // An answer with no HELLO outstanding gives no sample.
        QVERIFY(!prober.takeRttSample(t0 + 50ms).has_value());
    }

    void noRoundTripWhenTheHelloWasRepeated()
    {
        CandidateProber prober = lanAndReflexive();
        prober.start(t0, 8s);
        prober.onHelloSent(t0);
        prober.onHelloSent(t0 + 250ms); // a retry: the answer could be to either copy (Karn)
        QVERIFY(!prober.takeRttSample(t0 + 260ms).has_value());

        // A HELLO to a punched candidate later than the round counts as a second sending too.
        prober.onHelloSent(t0 + 300ms);
        QVERIFY(prober.addCandidate(address(u"203.0.113.7"_s, 40123),
                                    CandidateKind::PeerReflexive));
        prober.noteExtraHelloSent(t0 + 310ms);
        QVERIFY(!prober.takeRttSample(t0 + 320ms).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCandidateProber)
#include "tst_candidateprober.moc"
