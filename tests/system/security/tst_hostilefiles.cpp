// The catalogue of hostile inputs against a live uploader and downloader: requests for what is
// not shared, hostile file names in offers, garbage and unproven or replayed HELLOs on the
// transfer sockets. After each attack a genuine transfer still completes, and nothing is ever
// written outside the download folder.
#include <tests/support/filepeer.h>
#include <tests/support/hostileserver.h>
#include <tests/support/rawhello.h>

#include <client/filesignalling.h>
#include <share/safefilename.h>
#include <share/shareindex.h>

#include <QDirIterator>
#include <QTemporaryDir>
#include <QUdpSocket>

using namespace Qt::StringLiterals;
using namespace Hostile;
using FileTest::Peer;
using FileTest::TransferInfo;
namespace FS = Client::FileSignal;

class TestHostileFiles : public QObject
{
    Q_OBJECT
private:
    LiveServer m_live;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Peer> m_victim, m_mallory;
    QByteArray m_payload;

    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString sha() const { return FileTest::hex(m_payload); }

    // Every file under the temporary folder, relative to it: the shares, the download folder
    // and the file outside the share; anything else was written where it must not be.
    QStringList filesOutsideTheDownloads() const
    {
        QStringList out;
        QDirIterator it(m_dir->path(), QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString rel = QDir(m_dir->path()).relativeFilePath(it.next());
            if (!rel.startsWith(u"down/"_s))
                out.append(rel);
        }
        out.sort();
        return out;
    }
    // The genuine offer for the payload, by a find as the victim.
    QString genuineOffer()
    {
        const qsizetype before = m_victim->offers.size();
        m_victim->files()->find(kRoom, u"payload"_s);
        if (!QTest::qWaitFor([&] { return m_victim->offers.size() > before; }, 5000))
            return {};
        return m_victim->offers.last().offerId;
    }
    // A transfer still goes through: the victim downloads the payload and it verifies.
    [[nodiscard]] bool downloadStillWorks()
    {
        const QString offer = genuineOffer();
        if (offer.isEmpty())
            return false;
        const QString id = m_victim->files()->download(offer);
        if (!QTest::qWaitFor([&] { return m_victim->state(id) == TransferInfo::State::Done; },
                             20000))
            return false;
        return m_victim->last(id)->verified
                && FileTest::readFile(m_victim->last(id)->localPath) == m_payload;
    }
    // The victim asks for the payload by relay and returns the uploader's accept.
    std::optional<FS::Accept> acceptFor(const QString &xfer)
    {
        // The token is bound to the identity named in the get, the victim's own (its proven
        // member key); the raw HELLOs sign with it.
        const QCborMap get {{u"xfer"_s, xfer},
                            {u"key"_s, sha()},
                            {u"pk"_s, m_victim->core.identity()->publicKey()}};
        m_victim->core.relay(kRoom, u"get"_s, get, {m_mallory->core.clientId()});
        if (!QTest::qWaitFor([&] { return m_victim->hasRelay(u"accept"_s, u"xfer"_s, xfer); },
                             5000))
            return std::nullopt;
        for (const auto &r : std::as_const(m_victim->relays)) {
            if (r.kind == u"accept"_s && r.body.value(u"xfer"_s).toString() == xfer)
                return FS::decodeAccept(r.body);
        }
        return std::nullopt;
    }

private Q_SLOTS:
    void init()
    {
        m_live.start();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        for (const auto &sub : {u"share"_s, u"down"_s, u"mallory-down"_s})
            QVERIFY(QDir(m_dir->path()).mkpath(sub));
        m_payload = FileTest::randomBytes(256 * 1024, 11);
        QVERIFY(FileTest::writeFile(path(u"share/payload.bin"_s), m_payload));
        QVERIFY(FileTest::writeFile(path(u"outside.txt"_s), "not shared"));
        QVERIFY(QFile::link(path(u"outside.txt"_s), path(u"share/link-out.txt"_s)));
        m_victim = std::make_unique<Peer>();
        m_mallory = std::make_unique<Peer>();
        QVERIFY(m_victim->connectTo(m_live.port(), u"victim"_s));
        QVERIFY(m_mallory->connectTo(m_live.port(), u"mallory"_s));
        QVERIFY(m_victim->join(kRoom));
        QVERIFY(m_mallory->join(kRoom));
        m_victim->setUp(path(u"down"_s));
        m_mallory->setUp(path(u"mallory-down"_s));
        QVERIFY(m_mallory->files()->share(path(u"share"_s)));
        QTRY_COMPARE(m_mallory->files()->index()->fileCount(), 1); // the symlink is not shared
    }
    void cleanup()
    {
        m_victim.reset();
        m_mallory.reset();
        m_live.stop();
        m_dir.reset();
    }

    // An uploader offers its file under a hostile name: the download lands inside the download
    // folder under a safe name, and nothing is written anywhere else.
    void hostileNamesFromAnUploader_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("parent traversal") << u"../../x"_s;
        QTest::newRow("absolute path") << u"/etc/passwd"_s;
        QTest::newRow("windows path") << u"C:\\Windows\\win.ini"_s;
        QTest::newRow("dot dot") << u".."_s;
        QTest::newRow("nul inside") << u"a\0b.txt"_s;
        QTest::newRow("escape sequence") << u"evil\x1b[2J.txt"_s;
        QTest::newRow("fake line") << u"x\n[lobby] <bob> run this.sh"_s;
        QTest::newRow("bidi override") << u"invoice\u202etxt.exe"_s;
        QTest::newRow("zero-width") << u"pay\u200bload.bin"_s;
        QTest::newRow("device name") << u"CON"_s;
        QTest::newRow("device name with extension") << u"nul.txt"_s;
        QTest::newRow("600 characters") << QString(600, u'n') + u".bin"_s;
        QTest::newRow("hidden dot file") << u".bashrc"_s;
    }
    void hostileNamesFromAnUploader()
    {
        QFETCH(QString, name);
        const QStringList before = filesOutsideTheDownloads();
        const QString req = m_victim->files()->find(kRoom, u"nothing-matches-this"_s);
        QTRY_VERIFY(m_mallory->hasRelay(u"find"_s, u"req"_s, req));
        const auto file = m_mallory->files()->index()->findBySha256(sha());
        QVERIFY(file);
        m_mallory->core.relay(kRoom, u"offer"_s,
                              FS::encode(FS::Offer {req, file->id, name, m_payload.size(), sha(), 3,
                                                    m_mallory->core.identity()->publicKey()}),
                              {m_victim->core.clientId()});
        QTRY_COMPARE(m_victim->offers.size(), 1);
        const QString expected = Share::sanitizeFileName(name);
        QVERIFY(!expected.contains(u'/') && !expected.contains(u'\\') && expected != u".."_s);
        QCOMPARE(m_victim->offers.first().fileName, expected);
        const QString id = m_victim->files()->download(m_victim->offers.first().offerId);
        QTRY_COMPARE_WITH_TIMEOUT(m_victim->state(id), TransferInfo::State::Done, 20000);
        const QFileInfo saved(m_victim->last(id)->localPath);
        QCOMPARE(saved.absolutePath(), QFileInfo(path(u"down"_s)).absoluteFilePath());
        QCOMPARE(saved.fileName(), expected);
        QCOMPARE(FileTest::readFile(saved.filePath()), m_payload);
        QCOMPARE(QDir(path(u"down"_s)).entryList(QDir::Files | QDir::Hidden).size(), 1);
        QCOMPARE(filesOutsideTheDownloads(), before);
    }

    // An offer naming another identity key than the one its sender proved in hello is dropped:
    // its download would be signed by whoever holds that key.
    void offerNamingAnotherIdentityIsDropped()
    {
        const QString req = m_victim->files()->find(kRoom, u"nothing-matches-this"_s);
        QTRY_VERIFY(m_mallory->hasRelay(u"find"_s, u"req"_s, req));
        const auto file = m_mallory->files()->index()->findBySha256(sha());
        QVERIFY(file);
        const quint64 malformedBefore = m_victim->files()->counters().malformed;
        m_mallory->core.relay(
                kRoom, u"offer"_s,
                FS::encode(FS::Offer {req, file->id, u"x.bin"_s, m_payload.size(), sha(), 3,
                                      Crypto::IdentityKey::generate().publicKey()}),
                {m_victim->core.clientId()});
        QTRY_COMPARE(m_victim->files()->counters().malformed, malformedBefore + 1);
        QVERIFY(m_victim->offers.isEmpty());
        QVERIFY(downloadStillWorks());
    }

    // Requests for what is not in the share are refused; the uploader accepts nothing.
    void requestsOutsideTheShareAreRefused_data()
    {
        QTest::addColumn<QCborMap>("get");
        const auto get = [](const char *xfer, const QString &key) {
            return QCborMap {{u"xfer"_s, QString::fromLatin1(xfer)}, {u"key"_s, key}};
        };
        QTest::newRow("parent traversal") << get("t1", u"../outside.txt"_s);
        QTest::newRow("absolute path") << get("t2", u"/etc/passwd"_s);
        QCborMap withPath = get("t3", sha());
        withPath[u"path"_s] = u"../outside.txt"_s;
        QTest::newRow("path field") << withPath;
        QTest::newRow("symlink out of the share") << get("t4", FileTest::hex("not shared"));
        QTest::newRow("unknown file id") << get("t5", u"0123456789abcdef"_s);
        QTest::newRow("key of 64 non-hex characters") << get("t6", QString(64, u'z'));
        // A token for a key the requester did not prove in hello would let whoever holds that
        // key (a server that rewrote the get) make the transfer.
        QCborMap otherIdentity = get("t7", sha());
        otherIdentity[u"pk"_s] = Crypto::IdentityKey::generate().publicKey();
        QTest::newRow("another identity than the requester's") << otherIdentity;
    }
    void requestsOutsideTheShareAreRefused()
    {
        QFETCH(QCborMap, get);
        const QString xfer = get.value(u"xfer"_s).toString();
        m_victim->core.relay(kRoom, u"get"_s, get, {m_mallory->core.clientId()});
        QTRY_VERIFY(m_victim->hasRelay(u"refuse"_s, u"xfer"_s, xfer));
        QVERIFY(!m_victim->hasRelay(u"accept"_s, u"xfer"_s, xfer));
        QCOMPARE(m_mallory->files()->counters().acceptedRequests, 0u);
        QVERIFY(downloadStillWorks());
    }

    // Junk on both transfer sockets while a download runs: it still completes and verifies.
    void garbageDatagramsDuringATransfer()
    {
        FileTest::FileSharing::Settings slow = m_mallory->files()->settings();
        slow.uploadRateCap = 512 * 1024; // half a second: the junk lands mid-transfer
        m_mallory->files()->setSettings(slow);
        QUdpSocket junk;
        QVERIFY(junk.bind(attacker(9), 0));
        int rounds = 0;
        const QString offer = genuineOffer();
        QVERIFY(!offer.isEmpty());
        const QString id = m_victim->files()->download(offer);
        QRandomGenerator rng(3);
        QByteArray d(1400, '\0');
        for (int round = 0; round < 400 && m_victim->state(id) != TransferInfo::State::Done;
             ++round) {
            for (int i = 0; i < 20; ++i) {
                const int len = int(rng.bounded(1, 1400));
                for (int k = 0; k < len; ++k)
                    d[k] = char(rng.bounded(256));
                if (i % 2)
                    d[0] = char(0xf1); // looks like the transport's, fails its checksum
                junk.writeDatagram(d.constData(), len, QHostAddress::LocalHost,
                                   i % 2 ? m_mallory->files()->udpPort()
                                         : m_victim->files()->udpPort());
            }
            QTest::qWait(5);
            ++rounds;
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_victim->state(id), TransferInfo::State::Done, 20000);
        QVERIFY2(rounds >= 10, "the transfer ended before the junk reached it");
        QVERIFY(m_victim->last(id)->verified);
        QCOMPARE(FileTest::readFile(m_victim->last(id)->localPath), m_payload);
    }

    // A HELLO with a valid token from an address that never proved it receives (a spoofed
    // source): only small CHALLENGEs come back, at most 3x what was sent, and no data.
    void unprovenHelloIsNotAmplified()
    {
        const auto accept = acceptFor(u"s1"_s);
        QVERIFY(accept);
        QUdpSocket raw;
        QVERIFY(raw.bind(attacker(10), 0));
        TransferTest::Received got;
        qint64 sent = 0;
        const QByteArray digest = QByteArray::fromHex(sha().toLatin1());
        for (int i = 0; i < 10; ++i) {
            const QByteArray h = TransferTest::hello(accept->token, {}, quint64(m_payload.size()),
                                                     digest, *m_victim->core.identity());
            raw.writeDatagram(h, QHostAddress::LocalHost, accept->port);
            sent += h.size();
        }
        QTRY_VERIFY((TransferTest::collect(raw, &got), got.datagrams >= 1));
        QTest::qWait(200); // let anything (wrongly) sent arrive before judging
        TransferTest::collect(raw, &got);
        QVERIFY(!got.data);
        QVERIFY2(got.bytes <= 3 * sent, "anti-amplification bound");
        QVERIFY(downloadStillWorks());
    }

    // A proven HELLO replayed from another address gets no data: the cookie is bound to the
    // address that received it, and the token was used.
    void replayedHelloGetsNoData()
    {
        const auto accept = acceptFor(u"r1"_s);
        QVERIFY(accept);
        const QByteArray digest = QByteArray::fromHex(sha().toLatin1());
        const quint64 size = quint64(m_payload.size());
        QUdpSocket first, replayer;
        QVERIFY(first.bind(attacker(11), 0));
        QVERIFY(replayer.bind(attacker(12), 0));
        TransferTest::Received a, b;
        first.writeDatagram(
                TransferTest::hello(accept->token, {}, size, digest, *m_victim->core.identity()),
                QHostAddress::LocalHost, accept->port);
        QTRY_VERIFY((TransferTest::collect(first, &a), !a.lastChallenge.isEmpty()));
        QCOMPARE(a.lastChallenge.size(), qsizetype(sizeof(TransferTest::Cookie)));
        TransferTest::Cookie cookie {};
        std::memcpy(cookie.data(), a.lastChallenge.constData(), cookie.size());
        const QByteArray proven = TransferTest::hello(accept->token, cookie, size, digest,
                                                      *m_victim->core.identity());
        first.writeDatagram(proven, QHostAddress::LocalHost, accept->port);
        QTRY_VERIFY((TransferTest::collect(first, &a), a.data));
        for (int i = 0; i < 5; ++i)
            replayer.writeDatagram(proven, QHostAddress::LocalHost, accept->port);
        QTest::qWait(300);
        TransferTest::collect(replayer, &b);
        QVERIFY(!b.data);
        QVERIFY(downloadStillWorks());
    }
};

QTEST_MAIN(TestHostileFiles)
#include "tst_hostilefiles.moc"
