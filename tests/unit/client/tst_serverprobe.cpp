#include <client/serverprobe.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;

class TestServerProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void measuresListeningAndReportsClosed()
    {
        QTcpServer listening;
        QVERIFY(listening.listen(QHostAddress::LocalHost, 0));
        // A port that was free a moment ago: nothing listens there any more.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = closed.serverPort();
        closed.close();

        Client::ServerProbe probe;
        QSignalSpy measured(&probe, &Client::ServerProbe::measured);
        QSignalSpy unreachable(&probe, &Client::ServerProbe::unreachable);
        QSignalSpy finished(&probe, &Client::ServerProbe::finished);
        probe.probe({{u"127.0.0.1"_s, closedPort}, {u"127.0.0.1"_s, listening.serverPort()}});
        QVERIFY(probe.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QCOMPARE(measured.count(), 1);
        QCOMPARE(measured.at(0).at(0).toInt(), 1);
        QVERIFY(measured.at(0).at(1).toDouble() >= 0);
        QCOMPARE(unreachable.count(), 1);
        QCOMPARE(unreachable.at(0).at(0).toInt(), 0);
        QVERIFY(!probe.isRunning());
    }

    void emptyListFinishesWithNone()
    {
        Client::ServerProbe probe;
        QSignalSpy finished(&probe, &Client::ServerProbe::finished);
        probe.probe({});
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), -1);
    }
};

QTEST_GUILESS_MAIN(TestServerProbe)
#include "tst_serverprobe.moc"
