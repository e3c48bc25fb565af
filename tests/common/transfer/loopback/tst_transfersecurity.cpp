// Hostile inputs: missing, forged, reused and expired tokens; a spoofed source that never
// proves it receives; floods of garbage during a transfer; no free upload slot.
#include <tests/support/rawhello.h>
#include <tests/support/transferfixture.h>

#include <transfer/wire/packet.h>

#include <QTemporaryDir>
#include <QUdpSocket>

using namespace Transfer;
using namespace TransferTest;

namespace {
constexpr qint64 kSize = 2 * 1024 * 1024 + 99;
} // namespace

class TestTransferSecurity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tokens();
    void spoofedSourceGetsNoData();
    void garbageFloodDoesNotStopTransfer();
    void busyWhenNoSlot();

private:
    QTemporaryDir m_dir;
    QString m_source;
    QByteArray m_sha;
};

void TestTransferSecurity::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_source = m_dir.filePath(u"s.bin"_s);
    m_sha = writeRandomFile(m_source, kSize, 21);
    QVERIFY(!m_sha.isEmpty());
}

void TestTransferSecurity::tokens()
{
    Endpoint up;
    Endpoint down;
    QVERIFY(up.bind(QHostAddress::LocalHost, 0));
    QVERIFY(down.bind(QHostAddress::LocalHost, 0));
    const FileOffer offer {m_source, kSize, m_sha};
    struct Case
    {
        const char *name;
        QByteArray token;
        TransferError expected;
    };
    const QByteArray good = up.issueUploadToken(offer);
    const QByteArray expired = up.issueUploadToken(offer, std::chrono::milliseconds(0));
    const Case cases[] = {
            {"none", QByteArray(), TransferError::Refused},
            {"forged", QByteArray(16, 'x'), TransferError::Refused},
            {"expired", expired, TransferError::Refused},
            {"good", good, TransferError::None},
            {"reused", good, TransferError::Refused},
    };
    for (const Case &c : cases) {
        const QString dest = m_dir.filePath(u"tok-%1.bin"_s.arg(QLatin1StringView(c.name)));
        const TransferId id = down.startDownload(request(up, c.token, m_source, m_sha, dest));
        Watcher w(down, id);
        QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 20000);
        QVERIFY2(w.outcome.error == c.expected, c.name);
        if (c.expected != TransferError::None) {
            QVERIFY2(!QFile::exists(dest), c.name);
            QCOMPARE(w.lastStats.doneBytes, 0u);
        } else {
            QCOMPARE(fileSha(dest), m_sha);
        }
    }
}

void TestTransferSecurity::spoofedSourceGetsNoData()
{
    Endpoint up;
    QVERIFY(up.bind(QHostAddress::LocalHost, 0));
    const QByteArray token = up.issueUploadToken({m_source, kSize, m_sha});
    QUdpSocket raw;
    QVERIFY(raw.bind(QHostAddress::LocalHost, 0));
    Received got;
    qint64 sent = 0;
    // A spoofing attacker never sees the CHALLENGE, so it can only send HELLOs without the
    // cookie or with a guessed one, with a valid token.
    Cookie guessed {};
    for (int i = 0; i < 20; ++i) {
        guessed[std::size_t(i) % guessed.size()] = std::byte(i + 1);
        const QByteArray h = hello(token, i % 2 ? guessed : Cookie {}, kSize, m_sha);
        QCOMPARE(raw.writeDatagram(h, QHostAddress::LocalHost, up.localPort()), h.size());
        sent += h.size();
    }
    QTRY_VERIFY_WITH_TIMEOUT((collect(raw, &got), got.datagrams >= 10), 5000);
    QTest::qWait(200); // let any (wrongly) sent data arrive before judging
    collect(raw, &got);
    QVERIFY(!got.data);
    QVERIFY2(got.bytes <= 3 * sent, "anti-amplification bound");
    QVERIFY(got.bytes * 10 < sent); // CHALLENGE is far smaller than the padded HELLO

    // An unpadded HELLO gets nothing at all.
    const QByteArray small = hello(token, Cookie {}, kSize, m_sha).left(200);
    const int before = got.datagrams;
    raw.writeDatagram(small, QHostAddress::LocalHost, up.localPort());
    QTest::qWait(100);
    collect(raw, &got);
    QCOMPARE(got.datagrams, before);

    // Echoing the cookie proves the address: only then does the token buy an ACCEPT.
    QCOMPARE(got.lastChallenge.size(), qsizetype(sizeof(Cookie)));
    Cookie cookie {};
    std::memcpy(cookie.data(), got.lastChallenge.constData(), cookie.size());
    const QByteArray proven = hello(token, cookie, kSize, m_sha);
    raw.writeDatagram(proven, QHostAddress::LocalHost, up.localPort());
    QTRY_VERIFY_WITH_TIMEOUT((collect(raw, &got), got.data), 5000);
}

void TestTransferSecurity::garbageFloodDoesNotStopTransfer()
{
    Endpoint up;
    Endpoint down;
    QVERIFY(up.bind(QHostAddress::LocalHost, 0));
    QVERIFY(down.bind(QHostAddress::LocalHost, 0));
    EndpointCounters counters;
    connect(&down, &Endpoint::countersChanged, this,
            [&counters](const EndpointCounters &c) { counters = c; });
    const QString dest = m_dir.filePath(u"flood.bin"_s);
    DownloadRequest r
            = request(up, up.issueUploadToken({m_source, kSize, m_sha}), m_source, m_sha, dest);
    r.options.rateCap = 8 * 1024 * 1024;
    const TransferId id = down.startDownload(r);
    Watcher w(down, id);
    QUdpSocket raw;
    QVERIFY(raw.bind(QHostAddress::LocalHost, 0));
    QRandomGenerator rng(5);
    QByteArray junk(1500, '\0');
    int rounds = 0;
    // Flood both ends until the transfer ends (bounded in rounds and by the deadline).
    QElapsedTimer timer;
    timer.start();
    while (!w.outcome.done && rounds < 2000 && timer.elapsed() < 20000) {
        for (int i = 0; i < 50; ++i) {
            const int len = int(rng.bounded(1, 1500));
            for (int k = 0; k < len; ++k)
                junk[k] = char(rng.bounded(256));
            if (i % 3 == 0)
                junk[0] = char(0xF1); // looks like ours, fails the checksum
            raw.writeDatagram(junk.constData(), len, QHostAddress::LocalHost,
                              i % 2 ? up.localPort() : down.localPort());
        }
        ++rounds;
        QTest::qWait(2);
    }
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 20000);
    QVERIFY2(w.outcome.error == TransferError::None, qPrintable(w.outcome.reason));
    QCOMPARE(fileSha(dest), m_sha);
    QTRY_VERIFY_WITH_TIMEOUT(counters.corrupt + counters.malformed > 0, 2000);
}

void TestTransferSecurity::busyWhenNoSlot()
{
    Endpoint up;
    Endpoint down;
    QVERIFY(up.bind(QHostAddress::LocalHost, 0));
    QVERIFY(down.bind(QHostAddress::LocalHost, 0));
    up.setMaxUploadSlots(0);
    const QByteArray token = up.issueUploadToken({m_source, kSize, m_sha});
    const QString dest = m_dir.filePath(u"busy.bin"_s);
    const TransferId id = down.startDownload(request(up, token, m_source, m_sha, dest));
    Watcher w(down, id);
    QTRY_VERIFY_WITH_TIMEOUT(w.outcome.done, 20000);
    QVERIFY(w.outcome.error == TransferError::Busy);
    // BUSY does not consume the token: it works once a slot frees up.
    up.setMaxUploadSlots(1);
    const TransferId retry = down.startDownload(request(up, token, m_source, m_sha, dest));
    Watcher w2(down, retry);
    QTRY_VERIFY_WITH_TIMEOUT(w2.outcome.done, 20000);
    QVERIFY2(w2.outcome.error == TransferError::None, qPrintable(w2.outcome.reason));
    QCOMPARE(fileSha(dest), m_sha);
}

QTEST_GUILESS_MAIN(TestTransferSecurity)
#include "tst_transfersecurity.moc"
