#include <transfer/path/drrscheduler.h>

#include <QTest>

#include <map>
#include <set>

using namespace Transfer;

namespace {

constexpr std::uint32_t kQuantum = 1200;

// Synthetic members: who is ready and what each datagram weighs.
struct Members
{
    int a = 0, b = 0, c = 0, d = 0;
    std::set<DrrScheduler::Key> idle;
    std::map<DrrScheduler::Key, std::uint32_t> size;
    std::map<DrrScheduler::Key, std::uint64_t> bytes;
    std::map<DrrScheduler::Key, int> sends;

    [[nodiscard]] std::uint32_t sizeOf(DrrScheduler::Key k) const
    {
        const auto it = size.find(k);
        return it == size.end() ? kQuantum : it->second;
    }
    // Gives `count` send opportunities; returns how many were taken.
    int run(DrrScheduler &drr, int count)
    {
        int taken = 0;
        for (int i = 0; i < count; ++i) {
            const auto key = drr.next([this](DrrScheduler::Key k) { return !idle.contains(k); });
            if (!key)
                break;
            drr.charge(*key, sizeOf(*key));
            bytes[*key] += sizeOf(*key);
            ++sends[*key];
            ++taken;
        }
        return taken;
    }
    void reset()
    {
        bytes.clear();
        sends.clear();
    }
};

} // namespace

class TestDrrScheduler : public QObject
{
    Q_OBJECT

private slots:
    void emptyAndIdleGiveNobody()
    {
        DrrScheduler drr(kQuantum);
        QVERIFY(!drr.next([](DrrScheduler::Key) { return true; }));
        int x = 0;
        drr.add(&x);
        QVERIFY(!drr.next([](DrrScheduler::Key) { return false; }));
        QCOMPARE(drr.deficit(&x), 0);
    }

    void backloggedMembersShareEqually()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        for (auto *k : {&m.a, &m.b, &m.c, &m.d})
            drr.add(k);
        QCOMPARE(m.run(drr, 4000), 4000);
        for (auto *k : {&m.a, &m.b, &m.c, &m.d})
            QCOMPARE(m.sends[k], 1000);
    }

    void roundRobinOrderWithFullDatagrams()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        drr.add(&m.c);
        std::vector<DrrScheduler::Key> order;
        for (int i = 0; i < 6; ++i) {
            const auto key = drr.next([](DrrScheduler::Key) { return true; });
            QVERIFY(key);
            drr.charge(*key, kQuantum);
            order.push_back(*key);
        }
        const std::vector<DrrScheduler::Key> expected {&m.a, &m.b, &m.c, &m.a, &m.b, &m.c};
        QVERIFY(order == expected);
    }

    void bytesNotDatagramsAreShared()
    {
        // b sends half-size datagrams: it gets twice as many, the same number of bytes.
        Members m;
        m.size[&m.b] = kQuantum / 2;
        m.size[&m.c] = 56; // a chunk-hash unit
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        drr.add(&m.c);
        m.run(drr, 30000);
        const double a = double(m.bytes[&m.a]);
        QVERIFY(a > 0);
        QVERIFY(std::abs(double(m.bytes[&m.b]) - a) <= kQuantum);
        QVERIFY(std::abs(double(m.bytes[&m.c]) - a) <= kQuantum);
        QVERIFY(m.sends[&m.b] > 19 * m.sends[&m.a] / 10);
    }

    void creditLimitedMemberSkipsItsTurnWithoutHoarding()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        drr.add(&m.c);
        m.idle.insert(&m.b); // e.g. waiting for receiver credit
        QCOMPARE(m.run(drr, 3000), 3000);
        QCOMPARE(m.sends[&m.b], 0);
        QCOMPARE(m.sends[&m.a], 1500);
        QCOMPARE(m.sends[&m.c], 1500);
        QVERIFY(drr.deficit(&m.b) <= 0); // skipped turns left no credit behind

        // Back with credit: it takes its turns but is owed nothing for the ones it missed.
        m.idle.clear();
        m.reset();
        QCOMPARE(m.run(drr, 30), 30);
        QCOMPARE(m.sends[&m.a], 10);
        QCOMPARE(m.sends[&m.b], 10);
        QCOMPARE(m.sends[&m.c], 10);
        for (auto *k : {&m.a, &m.b, &m.c})
            QVERIFY(drr.deficit(k) <= kQuantum);
    }

    void skipEndsTheTurn()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        const auto first = drr.next([](DrrScheduler::Key) { return true; });
        QCOMPARE(*first, static_cast<DrrScheduler::Key>(&m.a));
        drr.skip(&m.a); // could not send after all
        const auto second = drr.next([](DrrScheduler::Key) { return true; });
        QCOMPARE(*second, static_cast<DrrScheduler::Key>(&m.b));
        QCOMPARE(drr.deficit(&m.a), 0);
    }

    void membersJoinAndLeaveMidway()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        drr.add(&m.a); // twice: no effect
        QCOMPARE(drr.size(), std::size_t(2));
        m.run(drr, 1001); // stop in the middle of a round
        m.reset();

        drr.add(&m.c);
        QVERIFY(drr.contains(&m.c));
        m.run(drr, 3000);
        for (auto *k : {&m.a, &m.b, &m.c})
            QVERIFY2(std::abs(m.sends[k] - 1000) <= 1, qPrintable(QString::number(m.sends[k])));
        m.reset();

        // The member whose turn it is leaves: the round goes on with the others.
        const auto current = drr.next([](DrrScheduler::Key) { return true; });
        QVERIFY(current);
        drr.remove(*current);
        QVERIFY(!drr.contains(*current));
        drr.remove(*current); // twice: no effect
        QCOMPARE(drr.size(), std::size_t(2));
        m.run(drr, 2000);
        QCOMPARE(m.sends[*current], 0);
        int total = 0;
        for (auto *k : {&m.a, &m.b, &m.c}) {
            if (k == *current)
                continue;
            QVERIFY(std::abs(m.sends[k] - 1000) <= 1);
            total += m.sends[k];
        }
        QCOMPARE(total, 2000);

        for (auto *k : {&m.a, &m.b, &m.c})
            drr.remove(k);
        QVERIFY(drr.isEmpty());
        QVERIFY(!drr.next([](DrrScheduler::Key) { return true; }));
    }

    void newcomerWaitsForTheRound()
    {
        Members m;
        DrrScheduler drr(kQuantum);
        drr.add(&m.a);
        drr.add(&m.b);
        drr.add(&m.c);
        m.run(drr, 1); // a has sent; b is next
        drr.add(&m.d); // joins at the end of the round, after c
        std::vector<DrrScheduler::Key> order;
        for (int i = 0; i < 4; ++i) {
            const auto key = drr.next([](DrrScheduler::Key) { return true; });
            drr.charge(*key, kQuantum);
            order.push_back(*key);
        }
        const std::vector<DrrScheduler::Key> expected {&m.b, &m.c, &m.d, &m.a};
        QVERIFY(order == expected);
    }
};

QTEST_APPLESS_MAIN(TestDrrScheduler)
#include "tst_drrscheduler.moc"
