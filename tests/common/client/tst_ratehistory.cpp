#include <client/ratehistory.h>

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace Client;
using namespace std::chrono_literals;

namespace {
TransferInfo info(const QString &id, TransferInfo::Direction dir, qint64 done,
                  TransferInfo::State state = TransferInfo::State::Transferring)
{
    TransferInfo t;
    t.id = id;
    t.direction = dir;
    t.state = state;
    t.size = 1'000'000;
    t.bytesDone = done;
    t.rateBytesPerSecond = 4000;
    t.rttMs = 12.5;
    t.congestionRate = 5000;
    return t;
}
constexpr auto Down = TransferInfo::Direction::Download;
constexpr auto Up = TransferInfo::Direction::Upload;
} // namespace

class TestRateHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ratesFromByteCounters()
    {
        RateHistory h(60s);
        QSignalSpy updated(&h, &RateHistory::updated);
        h.update(info(u"d"_s, Down, 5000)); // a resumed download: earlier bytes don't count
        h.update(info(u"u"_s, Up, 0));
        h.tick(0);
        QVERIFY(h.aggregate().isEmpty());
        // Several updates inside one interval: only the bytes count, not how often.
        h.update(info(u"d"_s, Down, 6000));
        h.update(info(u"d"_s, Down, 7000));
        h.update(info(u"u"_s, Up, 500));
        h.tick(500);
        QCOMPARE(h.aggregate().size(), 1);
        // Over one second at least (RateMeter): 2000 and 500 bytes in the first half second.
        QCOMPARE(h.aggregate().at(0).down, 2000.0);
        QCOMPARE(h.aggregate().at(0).up, 500.0);
        QCOMPARE(h.aggregate().at(0).timeS, 0.5);
        QCOMPARE(updated.count(), 1);

        // A finished transfer is forgotten: its last bytes, counted at once at its end, are
        // not drawn as a burst. The upload, idle since 0.5 s, is not yet overdue for its next
        // move.
        h.update(info(u"d"_s, Down, 8000, TransferInfo::State::Done));
        h.tick(1000);
        QCOMPARE(h.aggregate().at(1).down, 0.0);
        QCOMPARE(h.aggregate().at(1).up, 500.0);
        h.tick(1500);
        QCOMPARE(h.aggregate().at(2).down, 0.0);
        // Now it is overdue: the wait counts and the figure drains (500 bytes in 1.5 s).
        QVERIFY(qAbs(h.aggregate().at(2).up - 1000.0 / 3.0) < 0.01);

        // A tick that goes backwards is ignored.
        h.tick(1200);
        QCOMPARE(h.aggregate().size(), 3);
        const RateHistory::Point avg = h.average(1.0);
        QCOMPARE(avg.down, 0.0);
        QVERIFY(qAbs(avg.up - (500.0 + 1000.0 / 3.0) / 2.0) < 0.01); // mean of the last two
    }

    // A small file whose bytes all moved between two ticks still shows, whether it began in
    // that interval or waited through ticks at zero bytes (asking, connecting): what it moved
    // counts there (over the meter's one-second floor), and the next tick reads zero again. A
    // transfer already drawn keeps the rule above (its last bytes are not added).
    void aTransferWithinOneTickIsDrawn()
    {
        RateHistory h(60s);
        h.update(info(u"long"_s, Up, 0));
        h.tick(0);
        h.update(info(u"long"_s, Up, 1000));
        h.update(info(u"small"_s, Down, 0, TransferInfo::State::Connecting));
        h.update(info(u"small"_s, Down, 120'000));
        h.update(info(u"small"_s, Down, 300'000, TransferInfo::State::Done));
        h.tick(250);
        QCOMPARE(h.aggregate().constLast().down, 300'000.0);
        QCOMPARE(h.aggregate().constLast().up, 1000.0);
        h.update(info(u"long"_s, Up, 2000, TransferInfo::State::Done));
        h.tick(500);
        QCOMPARE(h.aggregate().constLast().down, 0.0);
        QCOMPARE(h.aggregate().constLast().up, 0.0); // drawn at 250: its last bytes are not added
        // Asked and connected over three ticks, then all of it in one interval.
        h.update(info(u"slowstart"_s, Down, 0, TransferInfo::State::Requesting));
        h.tick(750);
        h.tick(1000);
        h.update(info(u"slowstart"_s, Down, 0, TransferInfo::State::Connecting));
        h.tick(1250);
        QCOMPARE(h.aggregate().constLast().down, 0.0);
        h.update(info(u"slowstart"_s, Down, 200'000, TransferInfo::State::Done));
        h.tick(1500);
        QCOMPARE(h.aggregate().constLast().down, 200'000.0);
        h.tick(1750);
        QCOMPARE(h.aggregate().constLast().down, 0.0);
        // Cancelled before it moved a byte: nothing to draw.
        h.update(info(u"none"_s, Down, 0, TransferInfo::State::Requesting));
        h.update(info(u"none"_s, Down, 0, TransferInfo::State::Cancelled));
        h.tick(750);
        QCOMPARE(h.aggregate().constLast().down, 0.0);
    }

    // A downloader's counter moves in 1 MiB verified chunks; at 400 KiB/s that is one move
    // every 2.56 s. The graph shows about 400 KiB/s, never a 4 MiB/s spike per chunk.
    void chunkyCountersDrawNoSpikes()
    {
        RateHistory h(60s);
        h.update(info(u"d"_s, Down, 0));
        h.tick(0);
        qint64 done = 0;
        double highest = 0;
        for (int i = 1; i <= 80; ++i) { // 20 s in 250 ms ticks
            const qint64 t = i * 250;
            if (t % 2560 < 250 && t > 250)
                done += 1024 * 1024;
            h.update(info(u"d"_s, Down, done));
            h.tick(t);
            highest = std::max(highest, h.aggregate().constLast().down);
        }
        QVERIFY2(highest < 1.3 * 400 * 1024, qPrintable(QString::number(highest)));
        QVERIFY(h.aggregate().constLast().down > 0.7 * 400 * 1024);
    }

    // Readings carry the engine's clock (elapsedMs): reports that reach the GUI late for a
    // while and then on time again (a busy event loop catching up) are not read as a burst. An
    // upload sending exactly 100 000 B/s, reported every 250 ms, the first 20 reports 200 ms
    // late: the drawn rate never exceeds the true one. Stamped at the ticks instead, the same
    // reports read about 9 % too fast once the late ones start the 3 s window.
    void readingsKeepTheirEngineTime()
    {
        for (const bool withEngineClock : {true, false}) {
            RateHistory h(60s);
            double peak = 0;
            int next = 0; // the next report to deliver
            for (int j = 0; j <= 60; ++j) {
                const qint64 tickMs = 1000 + 250 * j + 100;
                for (; next <= 60; ++next) {
                    const qint64 elapsed = 250 * next;
                    const qint64 arrival = 1000 + elapsed + (next < 20 ? 200 : 0);
                    if (arrival > tickMs)
                        break;
                    TransferInfo t = info(u"u"_s, Up, 0);
                    t.movedBytes = 25'000 * next;
                    t.elapsedMs = withEngineClock ? elapsed : 0;
                    h.update(t);
                }
                h.tick(tickMs);
                if (!h.aggregate().isEmpty())
                    peak = std::max(peak, h.aggregate().constLast().up);
            }
            if (withEngineClock)
                QVERIFY2(peak <= 100'000 * 1.001, qPrintable(QString::number(peak)));
            else
                QVERIFY2(peak > 100'000 * 1.05, qPrintable(QString::number(peak)));
        }
    }

    void aRestartedAttemptKeepsItsOwnClock()
    {
        // Attempt one reports for 5 s at 100 kB/s, then the transfer is retried: a new
        // connection whose engine clock and counter start again from zero, 5 s later.
        RateHistory h(60s);
        const auto report = [&h](qint64 elapsed, qint64 bytes) {
            TransferInfo t = info(u"u"_s, Up, 0);
            t.movedBytes = bytes;
            t.elapsedMs = elapsed;
            h.update(t);
        };
        for (int j = 0; j <= 20; ++j) {
            report(250 * j, 25'000 * j);
            h.tick(1000 + 250 * j + 100);
        }
        for (int j = 21; j <= 40; ++j)
            h.tick(1000 + 250 * j + 100); // between the attempts: nothing moves
        for (int j = 0; j <= 12; ++j) {
            report(250 * j, 25'000 * j);
            h.tick(11'000 + 250 * j + 100);
        }
        // The second attempt's rate is its own, not drawn from the first attempt's origin.
        const double up = h.aggregate().constLast().up;
        QVERIFY2(std::abs(up - 100'000) <= 1'000, qPrintable(QString::number(up)));
    }

    // An upload whose connection died keeps its row (not final) while its successor, a new
    // connection, sends on at the same capped rate: the graph shows the cap, not the dead
    // attempt's last three seconds added to the new one's first.
    void aStalledAttemptAndItsSuccessorReadWhatMoved()
    {
        RateHistory h(60s);
        const auto report = [&h](const QString &id, qint64 elapsed, qint64 bytes) {
            TransferInfo t = info(id, Up, 0);
            t.movedBytes = bytes;
            t.elapsedMs = elapsed;
            h.update(t);
        };
        constexpr double rate = 256 * 1024;
        const qint64 perReport = qint64(rate / 4);
        double peak = 0;
        for (int j = 0; j <= 40; ++j) { // 10 s of ticks every 250 ms
            const qint64 now = 1000 + 250 * j + 100;
            if (j <= 20)
                report(u"u1"_s, 250 * j, perReport * j); // dies after 5 s
            else
                report(u"u2"_s, 250 * (j - 21), perReport * (j - 21));
            h.tick(now);
            if (!h.aggregate().isEmpty())
                peak = std::max(peak, h.aggregate().constLast().up);
        }
        QVERIFY2(peak <= rate * 1.01, qPrintable(QString::number(peak / rate)));
        const double last = h.aggregate().constLast().up;
        QVERIFY2(std::abs(last - rate) <= rate * 0.02, qPrintable(QString::number(last / rate)));
    }

    // Two uploads reporting on the same rhythm: their moves come in pairs, and the next pair
    // is not overdue within one rhythm. The GUI's ticks fall 200 ms after the readings' engine
    // time (the first reading with a clock on it): the sum reads 200 kB/s, without dips. Taken
    // as overdue after the average gap between moves (half the rhythm), it read 6 % low.
    void concurrentTransfersReadTheirSum()
    {
        RateHistory h(60s);
        double low = 1e12;
        for (int j = 0; j <= 40; ++j) {
            for (const QString &id : {u"a"_s, u"b"_s}) {
                TransferInfo t = info(id, Up, 0);
                t.movedBytes = 25'000 * j;
                t.elapsedMs = 250 * j;
                h.update(t);
            }
            h.tick(1000 + 250 * j + (j <= 1 ? 0 : 200));
            if (j >= 16) // after the first window
                low = std::min(low, h.aggregate().constLast().up);
        }
        const double last = h.aggregate().constLast().up;
        QVERIFY2(std::abs(last - 200'000) <= 2'000, qPrintable(QString::number(last)));
        QVERIFY2(low >= 200'000 * 0.98, qPrintable(QString::number(low)));
    }

    void keepsOnlyTheWindow()
    {
        RateHistory h(10s);
        h.tick(0);
        for (int i = 1; i <= 100; ++i)
            h.tick(i * 500);
        // 50 s of ticks every 0.5 s; only the last 10 s (21 points, both ends) remain.
        QCOMPARE(h.aggregate().size(), 21);
        QCOMPARE(h.aggregate().constFirst().timeS, 40.0);
        QCOMPARE(h.aggregate().constLast().timeS, 50.0);
    }

    void selectedTransferSeries()
    {
        RateHistory h(60s);
        h.update(info(u"a"_s, Down, 0));
        h.tick(0);
        h.tick(250);
        QVERIFY(h.selected().isEmpty());
        h.selectTransfer(u"a"_s);
        h.update(info(u"a"_s, Down, 100));
        h.tick(500);
        QCOMPARE(h.selected().size(), 1);
        QCOMPARE(h.selected().at(0).rate, 4000.0);
        QCOMPARE(h.selected().at(0).rttMs, 12.5);
        QCOMPARE(h.selected().at(0).congestionRate, 5000.0);
        h.update(info(u"a"_s, Down, 200, TransferInfo::State::Paused));
        h.tick(750);
        QCOMPARE(h.selected().at(1).rate, 0.0);
        h.selectTransfer(u"b"_s);
        QVERIFY(h.selected().isEmpty());
        h.clear();
        QVERIFY(h.aggregate().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRateHistory)
#include "tst_ratehistory.moc"
