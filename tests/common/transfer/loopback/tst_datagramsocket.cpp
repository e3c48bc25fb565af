// The engine's UDP sockets over loopback: a flushed batch arrives as the same datagrams, in
// order, byte for byte, whether the native socket sends runs with UDP GSO (and receives them
// coalesced with UDP GRO), sends datagram by datagram (HOPSHARE_NO_GSO=1), or the portable
// QUdpSocket path is used.
#include <transfer/io/datagramsocket.h>
#include <transfer/io/nativedatagramsocket.h>

#include <QTest>

#include <vector>

using namespace Transfer;
using namespace Qt::StringLiterals;

namespace {

using Datagram = std::vector<std::byte>;

Datagram pattern(std::size_t size, int seed)
{
    Datagram d(size);
    for (std::size_t i = 0; i < size; ++i)
        d[i] = std::byte(std::uint8_t(seed * 31 + int(i) * 7));
    return d;
}

struct Receiver
{
    std::unique_ptr<DatagramSocket> socket;
    std::vector<Datagram> got;
    PeerAddress address;
};

} // namespace

class TestDatagramSocket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesKeepDatagramBoundaries_data();
    void batchesKeepDatagramBoundaries();
    void oneUnsendableDestinationDropsOnlyItsOwn_data();
    void oneUnsendableDestinationDropsOnlyItsOwn();
    void aSocketBoundToAnyTakesBothFamilies();
};

void TestDatagramSocket::batchesKeepDatagramBoundaries_data()
{
    QTest::addColumn<bool>("native");
    QTest::addColumn<bool>("gso");
    QTest::newRow("native, gso") << true << true;
    QTest::newRow("native, no gso") << true << false;
    QTest::newRow("qudpsocket") << false << false;
}

void TestDatagramSocket::batchesKeepDatagramBoundaries()
{
    QFETCH(bool, native);
    QFETCH(bool, gso);
    if (!gso)
        qputenv("HOPSHARE_NO_GSO", "1");
    auto sender = DatagramSocket::create(native);
    Receiver a {DatagramSocket::create(native), {}, {}};
    Receiver b {DatagramSocket::create(native), {}, {}};
    QString error;
    QVERIFY2(sender->bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    for (Receiver *r : {&a, &b}) {
        QVERIFY2(r->socket->bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        r->address = PeerAddress::fromQt(QHostAddress::LocalHost, r->socket->localPort());
    }
    qunsetenv("HOPSHARE_NO_GSO");
    if (native && gso && !static_cast<NativeDatagramSocket *>(sender.get())->usesGso())
        QSKIP("the kernel has no UDP GSO");

    // Runs of full-size datagrams broken by a short one, by another peer, and by a size change;
    // 150 datagrams span several flushes of the 64-slot batch.
    struct Planned
    {
        Receiver *to;
        Datagram data;
    };
    std::vector<Planned> plan;
    int seed = 0;
    auto add = [&](Receiver &to, std::size_t size, int count) {
        for (int i = 0; i < count; ++i)
            plan.push_back({&to, pattern(size, ++seed)});
    };
    add(a, 1200, 10);
    add(a, 500, 1);
    add(a, 1200, 5);
    add(b, 1200, 3);
    add(a, 1200, 70);
    add(a, 32, 1);
    add(a, 800, 4);
    add(b, 1200, 50);
    add(a, 1, 1);
    add(b, 1200, 5);
    for (const Planned &p : plan)
        sender->send(p.data, p.to->address);
    sender->flush();
    QCOMPARE(sender->sendErrors(), 0u);

    std::vector<Datagram> wantA, wantB;
    for (const Planned &p : plan)
        (p.to == &a ? wantA : wantB).push_back(p.data);
    // Loopback does not drop with 8 MiB buffers; bounded wait for everything to arrive.
    for (int i = 0; i < 400 && (a.got.size() < wantA.size() || b.got.size() < wantB.size()); ++i) {
        for (Receiver *r : {&a, &b})
            r->socket->drain([r](std::span<const std::byte> d, const PeerAddress &) {
                r->got.emplace_back(d.begin(), d.end());
            });
        QTest::qWait(5);
    }
    QCOMPARE(a.got.size(), wantA.size());
    QCOMPARE(b.got.size(), wantB.size());
    QVERIFY(a.got == wantA);
    QVERIFY(b.got == wantB);
}

void TestDatagramSocket::oneUnsendableDestinationDropsOnlyItsOwn_data()
{
    QTest::addColumn<QHostAddress>("bindAddress");
    QTest::newRow("IPv4 socket") << QHostAddress(QHostAddress::LocalHost);
    QTest::newRow("dual-stack socket") << QHostAddress(QHostAddress::Any);
}

// A batch holds datagrams to several peers (HELLOs to every candidate): a destination the
// kernel refuses (broadcast without SO_BROADCAST: EACCES, as no route to an IPv6 candidate
// gives ENETUNREACH) costs its own datagram, not the rest of the batch.
void TestDatagramSocket::oneUnsendableDestinationDropsOnlyItsOwn()
{
    QFETCH(QHostAddress, bindAddress);
    auto sender = DatagramSocket::create(true);
    Receiver a {DatagramSocket::create(true), {}, {}};
    QString error;
    QVERIFY2(sender->bind(bindAddress, 0, &error), qPrintable(error));
    QVERIFY2(a.socket->bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    a.address = PeerAddress::fromQt(QHostAddress::LocalHost, a.socket->localPort());
    const PeerAddress refused = PeerAddress::fromQt(QHostAddress::Broadcast, 9);
    sender->send(pattern(100, 1), refused);
    sender->send(pattern(100, 2), a.address);
    sender->send(pattern(100, 3), refused);
    sender->send(pattern(100, 4), a.address);
    sender->flush();
    QCOMPARE(sender->sendErrors(), 2u);
    for (int i = 0; i < 400 && a.got.size() < 2; ++i) {
        a.socket->drain([&a](std::span<const std::byte> d, const PeerAddress &) {
            a.got.emplace_back(d.begin(), d.end());
        });
        QTest::qWait(5);
    }
    QCOMPARE(a.got.size(), std::size_t(2));
    QVERIFY(a.got[0] == pattern(100, 2));
    QVERIFY(a.got[1] == pattern(100, 4));
}

// QHostAddress::Any is dual-stack: IPv4 peers (as ::ffff:a.b.c.d) and IPv6 peers both reach
// it. (It used to be bound to ::ffff:0.0.0.0, an IPv4-only socket, so IPv6 candidates never
// answered.)
void TestDatagramSocket::aSocketBoundToAnyTakesBothFamilies()
{
    auto receiver = DatagramSocket::create(true);
    auto sender4 = DatagramSocket::create(true);
    auto sender6 = DatagramSocket::create(true);
    QString error;
    QVERIFY2(receiver->bind(QHostAddress::Any, 0, &error), qPrintable(error));
    QVERIFY2(sender4->bind(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    if (!sender6->bind(QHostAddress::LocalHostIPv6, 0, &error))
        QSKIP(qPrintable(u"no IPv6 loopback here: "_s + error));
    sender4->send(pattern(64, 4),
                  PeerAddress::fromQt(QHostAddress::LocalHost, receiver->localPort()));
    sender6->send(pattern(64, 6),
                  PeerAddress::fromQt(QHostAddress::LocalHostIPv6, receiver->localPort()));
    sender4->flush();
    sender6->flush();
    QCOMPARE(sender4->sendErrors() + sender6->sendErrors(), 0u);
    std::vector<std::pair<Datagram, PeerAddress>> got;
    for (int i = 0; i < 400 && got.size() < 2; ++i) {
        receiver->drain([&got](std::span<const std::byte> d, const PeerAddress &from) {
            got.emplace_back(Datagram(d.begin(), d.end()), from);
        });
        QTest::qWait(5);
    }
    QCOMPARE(got.size(), std::size_t(2));
    for (const auto &[data, from] : got) {
        const bool v4 = data == pattern(64, 4);
        QCOMPARE(from.isV4, v4);
        QCOMPARE(from.toQt(),
                 v4 ? QHostAddress(QHostAddress::LocalHost)
                    : QHostAddress(QHostAddress::LocalHostIPv6));
    }
}

QTEST_GUILESS_MAIN(TestDatagramSocket)
#include "tst_datagramsocket.moc"
