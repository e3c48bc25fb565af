#include <transfer/path/peerpath.h>

#include <QTest>

#include <array>
#include <span>

using namespace Transfer;
using namespace std::chrono_literals;

namespace {

const TimePoint t0 {std::chrono::seconds(100)};
constexpr std::uint32_t kSize = 1200;
// Shares are equal in bytes over whole rounds; at any moment within one DRR turn.
constexpr int kTurn = int(PeerPath::kDrrQuantumDatagrams);

// A transfer with `backlog` datagrams to send and, optionally, no receiver credit.
class FakeSender final : public PathSender
{
public:
    explicit FakeSender(PeerPath &path, int backlog = 1'000'000)
        : m_path(path)
        , backlog(backlog)
    { }

    [[nodiscard]] std::optional<TimePoint> sendableAt(TimePoint now) const override
    {
        if (backlog <= 0 || !hasCredit)
            return std::nullopt;
        return now;
    }
    std::uint32_t sendNext(TimePoint now) override
    {
        if (backlog <= 0 || !hasCredit)
            return 0;
        static_cast<void>(m_path.onPacketSent(now, kSize, false));
        --backlog;
        ++sent;
        inFlight += holdInFlight ? kSize : 0;
        return kSize;
    }
    [[nodiscard]] std::uint64_t bytesInFlight() const override { return inFlight; }

private:
    PeerPath &m_path;

public:
    int backlog;
    bool hasCredit = true;
    bool holdInFlight = false; // keep what it sends in flight (no ACKs in this test)
    std::uint64_t inFlight = 0;
    int sent = 0;
};

// Services the path at its own deadlines until `total` datagrams left or time runs out.
int drive(PeerPath &path, std::span<FakeSender *const> senders, int total, TimePoint *now)
{
    auto sum = [&] {
        int s = 0;
        for (const FakeSender *f : senders)
            s += f->sent;
        return s;
    };
    const int start = sum();
    for (int step = 0; step < 100'000 && sum() - start < total; ++step) {
        path.service(*now);
        const auto next = path.nextDeadline(*now);
        if (!next)
            break;
        *now = std::max(*next, *now + 1us);
    }
    return sum() - start;
}

} // namespace

class TestPeerPath : public QObject
{
    Q_OBJECT

private slots:
    void backloggedSendersShareSendOpportunities()
    {
        PeerPath path(CongestionAlgorithm::Bbr, nullptr);
        FakeSender a(path), b(path), c(path), d(path);
        const std::array<FakeSender *, 4> all {&a, &b, &c, &d};
        for (FakeSender *f : all)
            path.attach(f);
        QCOMPARE(path.memberCount(), std::size_t(4));
        TimePoint now = t0;
        QVERIFY(drive(path, all, 4000, &now) >= 4000);
        for (FakeSender *f : all)
            QVERIFY2(std::abs(f->sent - a.sent) <= kTurn, qPrintable(QString::number(f->sent)));
        // Paced: the path sent at its rate, not all at once.
        QVERIFY(now > t0);
    }

    void creditLimitedSenderSkipsAndOthersTakeItsShare()
    {
        PeerPath path(CongestionAlgorithm::Bbr, nullptr);
        FakeSender a(path), b(path), c(path);
        const std::array<FakeSender *, 3> all {&a, &b, &c};
        for (FakeSender *f : all)
            path.attach(f);
        b.hasCredit = false;
        TimePoint now = t0;
        QVERIFY(drive(path, all, 1000, &now) >= 1000);
        QCOMPARE(b.sent, 0);
        QVERIFY(std::abs(a.sent - c.sent) <= kTurn);
        QVERIFY(path.scheduler().deficit(&b) <= 0);

        b.hasCredit = true;
        const int a0 = a.sent, b0 = b.sent, c0 = c.sent;
        QVERIFY(drive(path, all, 900, &now) >= 900);
        // No catching up for the turns it skipped: an equal third from now on.
        QVERIFY(std::abs((b.sent - b0) - (a.sent - a0)) <= kTurn);
        QVERIFY(std::abs((c.sent - c0) - (a.sent - a0)) <= kTurn);
    }

    void sendersJoinAndLeaveMidway()
    {
        PeerPath path(CongestionAlgorithm::Bbr, nullptr);
        FakeSender a(path), b(path), c(path, 300);
        std::array<FakeSender *, 3> all {&a, &b, &c};
        path.attach(&a);
        path.attach(&b);
        TimePoint now = t0;
        drive(path, all, 500, &now);
        QVERIFY(std::abs(a.sent - b.sent) <= kTurn);

        path.attach(&c); // joins mid-way
        const int a0 = a.sent;
        drive(path, all, 450, &now);
        QVERIFY(c.sent > 0);
        QVERIFY(std::abs(c.sent - (a.sent - a0)) <= kTurn);

        path.detach(&a); // leaves mid-way; c runs out of data at 300
        const int a1 = a.sent, b1 = b.sent, c1 = c.sent;
        drive(path, all, 600, &now);
        QCOMPARE(a.sent, a1);
        QCOMPARE(c.sent, 300);
        QCOMPARE((b.sent - b1) + (c.sent - c1), 600);
        path.detach(&b);
        path.detach(&c);
        QVERIFY(path.isEmpty());
    }

    void windowIsCheckedAgainstTheSumOverSenders()
    {
        // Nothing is acknowledged: the path stops when the *sum* reaches the window.
        PeerPath path(CongestionAlgorithm::NewReno, nullptr);
        FakeSender a(path), b(path);
        const std::array<FakeSender *, 2> all {&a, &b};
        a.holdInFlight = b.holdInFlight = true;
        path.attach(&a);
        path.attach(&b);
        TimePoint now = t0;
        drive(path, all, 1000, &now);
        const std::uint64_t cwnd = path.controller().congestionWindow();
        QCOMPARE(path.bytesInFlight(), a.inFlight + b.inFlight);
        QVERIFY(path.bytesInFlight() >= cwnd);
        QVERIFY(path.bytesInFlight() < cwnd + kSize);
        QVERIFY(std::abs(a.sent - b.sent) <= kTurn);
        QVERIFY(!path.nextDeadline(now)); // waits for ACKs
    }

    void acksFeedThePathController()
    {
        PeerPath path(CongestionAlgorithm::NewReno, nullptr);
        FakeSender a(path), b(path);
        a.holdInFlight = b.holdInFlight = true;
        path.attach(&a);
        path.attach(&b);
        const std::uint64_t initial = path.controller().congestionWindow();
        TimePoint now = t0;
        // Each sender's packets acknowledged one RTT later: the shared window grows for both.
        for (int round = 0; round < 3; ++round) {
            const std::array<FakeSender *, 2> all {&a, &b};
            drive(path, all, 1000, &now);
            now += 20ms;
            for (FakeSender *f : all) {
                const std::uint64_t prior = f->inFlight;
                f->inFlight = 0;
                path.rtt().addSample(20ms, 0ms);
                path.onAcked(now, prior, std::uint32_t(prior / kSize), prior, 0, now - 20ms, true);
            }
        }
        QVERIFY(path.controller().congestionWindow() > initial);
    }
};

QTEST_APPLESS_MAIN(TestPeerPath)
#include "tst_peerpath.moc"
