#include <server-console/stream/epollwatch.h>

#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <memory>

using Server::EpollWatch;
using namespace Qt::StringLiterals;

namespace {
// Both ends of a local stream socket, closed at the end of the test.
struct SocketPair
{
    std::array<int, 2> fd {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd.data()); }
    ~SocketPair()
    {
        for (int f : fd) {
            if (f >= 0)
                ::close(f);
        }
    }
    void send(int end) const { QCOMPARE(::write(fd[size_t(end)], "x", 1), ssize_t(1)); }
};
} // namespace

class TestEpollWatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readableWhileDataWaitsAndOnlyWhileEnabled()
    {
        SocketPair pair;
        QVERIFY(pair.fd[0] >= 0);
        int reads = 0, writes = 0;
        EpollWatch watch(
                pair.fd[0], [&] { ++reads; }, [&] { ++writes; });
        QTest::qWait(50);
        QCOMPARE(reads, 0);
        pair.send(1);
        QTRY_VERIFY(reads > 0); // level-triggered: unread data keeps it ready
        watch.setReadEnabled(false);
        QTest::qWait(20);
        const int seen = reads;
        QTest::qWait(50);
        QCOMPARE(reads, seen);
        QCOMPARE(writes, 0);
        watch.setWriteEnabled(true); // an empty send buffer is writable at once
        QTRY_VERIFY(writes > 0);
        watch.detach();
        const int written = writes;
        watch.setWriteEnabled(true); // detached: nothing follows, whatever is asked
        QTest::qWait(50);
        QCOMPARE(writes, written);
    }

    void aHandlerMayEndAnotherWatchReadyInTheSameBatch()
    {
        SocketPair first, second;
        std::unique_ptr<EpollWatch> a, b;
        int aCalls = 0, bCalls = 0;
        // Whichever runs first ends the other, which must then not be called (ASan would
        // report its handler running on a freed watch).
        a = std::make_unique<EpollWatch>(
                first.fd[0],
                [&] {
                    ++aCalls;
                    b.reset();
                    a->setReadEnabled(false);
                },
                [] {});
        b = std::make_unique<EpollWatch>(
                second.fd[0],
                [&] {
                    ++bCalls;
                    a.reset();
                    b->setReadEnabled(false);
                },
                [] {});
        first.send(1);
        second.send(1);
        QTRY_VERIFY(aCalls + bCalls > 0);
        QTest::qWait(50);
        QCOMPARE(aCalls + bCalls, 1);
    }

    void aHangUpWithNothingEnabledIsNotReported()
    {
        SocketPair pair;
        int reads = 0;
        EpollWatch watch(
                pair.fd[0], [&] { ++reads; }, [] {});
        watch.setReadEnabled(false);
        ::close(pair.fd[1]);
        pair.fd[1] = -1;
        QTest::qWait(50);
        QCOMPARE(reads, 0);
        watch.setReadEnabled(true); // the end of the stream is readable
        QTRY_VERIFY(reads > 0);
    }

    void aDescriptorEpollRefusesFallsBackAndStillStops()
    {
        SocketPair pair;
        EpollWatch keep(
                pair.fd[0], [] {}, [] {}); // the epoll set exists while the file is added
        QTemporaryFile file;
        QVERIFY(file.open());
        int reads = 0;
        // epoll refuses regular files (EPERM); poll() calls them readable at all times.
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"cannot watch socket .* with epoll"_s));
        EpollWatch watch(
                int(file.handle()), [&] { ++reads; }, [] {});
        QTRY_VERIFY(reads > 0);
        watch.setReadEnabled(false); // on its notifiers: switching off must reach them
        QTest::qWait(20);
        const int seen = reads;
        QTest::qWait(50);
        QCOMPARE(reads, seen);
    }
};

QTEST_GUILESS_MAIN(TestEpollWatch)
#include "tst_epollwatch.moc"
