// Upload connections and their peer paths: every Selective Repeat upload to one address:port
// shares one congestion controller; other addresses (or ports) get their own; a path lives
// exactly as long as its connections; Go-Back-N keeps a private one.
#include <transfer/connection/uploadconnection.h>
#include <transfer/path/pathtable.h>
#include <transfer/storage/filelayout.h>

#include <QTest>

#include <memory>

using namespace Transfer;

namespace {

class NullSink final : public PacketSink
{
public:
    void transmit(std::span<const std::byte>, const PeerAddress &) override { ++datagrams; }
    int datagrams = 0;
};

HelloBody hello(std::uint32_t cid, ArqMode mode = ArqMode::SelectiveRepeat,
                CongestionAlgorithm algorithm = CongestionAlgorithm::Bbr)
{
    HelloBody h;
    h.sourceCid = cid;
    h.mode = mode;
    h.controller = std::uint8_t(algorithm);
    h.windowChunks = 4;
    h.fileSize = 10 * kChunkSize;
    return h;
}

} // namespace

class TestPeerPaths : public QObject
{
    Q_OBJECT

private slots:
    void connectionsToOneAddressShareOneController()
    {
        NullSink sink;
        TokenBucket cap;
        PathTable paths(&cap);
        const TimePoint now = Clock::now();
        const PeerAddress a = PeerAddress::fromQt(QHostAddress::LocalHost, 4000);
        const PeerAddress samePortOtherHost
                = PeerAddress::fromQt(QHostAddress(QStringLiteral("127.0.0.2")), 4000);
        const PeerAddress otherPort = PeerAddress::fromQt(QHostAddress::LocalHost, 4001);

        auto c1 = std::make_unique<UploadConnection>(1, 11, a, sink, now, hello(1), paths);
        auto c2 = std::make_unique<UploadConnection>(
                2, 12, a, sink, now,
                hello(2, ArqMode::SelectiveRepeat, CongestionAlgorithm::NewReno), paths);
        auto c3 = std::make_unique<UploadConnection>(3, 13, samePortOtherHost, sink, now, hello(3),
                                                     paths);
        auto c4 = std::make_unique<UploadConnection>(4, 14, otherPort, sink, now, hello(4), paths);

        QCOMPARE(paths.size(), std::size_t(3));
        QCOMPARE(&c1->path(), &c2->path());
        QCOMPARE(&c1->path().controller(), &c2->path().controller());
        QCOMPARE(&c1->path(), paths.find(a));
        QCOMPARE(c1->path().memberCount(), std::size_t(2));
        // The path keeps the algorithm of the transfer that created it.
        QCOMPARE(c2->path().algorithm(), CongestionAlgorithm::Bbr);
        QVERIFY(&c3->path() != &c1->path());
        QVERIFY(&c4->path() != &c1->path());
        QVERIFY(&c3->path().controller() != &c4->path().controller());

        // The path outlives its first connection and goes with its last.
        c1.reset();
        QCOMPARE(paths.find(a), &c2->path());
        QCOMPARE(c2->path().memberCount(), std::size_t(1));
        c2.reset();
        QCOMPARE(paths.find(a), nullptr);
        QCOMPARE(paths.size(), std::size_t(2));
        c3.reset();
        c4.reset();
        QCOMPARE(paths.size(), std::size_t(0));
    }

    void goBackNKeepsAPrivatePath()
    {
        NullSink sink;
        PathTable paths(nullptr);
        const TimePoint now = Clock::now();
        const PeerAddress a = PeerAddress::fromQt(QHostAddress::LocalHost, 4000);
        UploadConnection sr(1, 11, a, sink, now, hello(1), paths);
        UploadConnection gbn(2, 12, a, sink, now, hello(2, ArqMode::GoBackN), paths);
        QCOMPARE(paths.size(), std::size_t(1));
        QCOMPARE(paths.find(a)->memberCount(), std::size_t(1));
        QVERIFY(&gbn.path() != &sr.path());
        // A Go-Back-N connection sends from its own service(), never on a DRR turn.
        QVERIFY(!gbn.sender().sendableAt(now));
    }

    void newConnectionOnALoadedPathStartsFromItsState()
    {
        NullSink sink;
        PathTable paths(nullptr);
        TimePoint now = Clock::now();
        const PeerAddress a = PeerAddress::fromQt(QHostAddress::LocalHost, 4000);
        UploadConnection first(1, 11, a, sink, now, hello(1), paths);
        // Nothing opened: reading a chunk fails, so drive the controller directly.
        paths.find(a)->rtt().addSample(std::chrono::milliseconds(30), {});
        UploadConnection second(2, 12, a, sink, now, hello(2), paths);
        QCOMPARE(second.path().rtt().smoothedRtt(), Duration(std::chrono::milliseconds(30)));
        QCOMPARE(second.stats(now).congestionWindow, first.stats(now).congestionWindow);
    }
};

QTEST_GUILESS_MAIN(TestPeerPaths)
#include "tst_peerpaths.moc"
