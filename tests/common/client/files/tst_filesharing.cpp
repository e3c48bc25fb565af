// Files through the room: four client cores in one room on an in-process chat server, the
// find / offer / get exchange over relay and the bytes over each core's UDP endpoint.
#include <tests/support/filepeer.h>
#include <tests/support/localserver.h>

#include <client/clientcore.h>
#include <client/command.h>
#include <client/downloadplanner.h>
#include <client/filesharing.h>
#include <client/filesignalling.h>
#include <crypto/identitykey.h>
#include <crypto/sha256.h>
#include <server-console/chat/chatserver.h>
#include <share/shareindex.h>
#include <transfer/endpoint.h>

#include <QCborArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

#include <memory>

using namespace Qt::StringLiterals;
using Client::FileSharing;
using Client::OfferInfo;
using Client::TransferInfo;
using namespace FileTest;

namespace {

const QString kRoom = u"lobby"_s;

} // namespace

class TestFileSharing : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Peer> a, b, c, d;
    QByteArray m_movie;

    QString path(const QString &name) const { return m_dir->filePath(name); }

    void startPeers(int maxUploadsB, int relaySessions = 64)
    {
        Server::ServerConfig config;
        config.relaySessions = relaySessions;
        startLocalServer(m_server, std::move(config));
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        for (const auto &sub : {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"down-a"_s, u"down-d"_s})
            QVERIFY(QDir(m_dir->path()).mkpath(sub));
        m_movie = randomBytes(2 * 1024 * 1024, 7);
        QVERIFY(writeFile(path(u"b/movie.bin"_s), m_movie));
        QVERIFY(writeFile(path(u"c/movie.bin"_s), m_movie));
        QVERIFY(writeFile(path(u"d/notes.txt"_s), "nothing to see"));
        QVERIFY(writeFile(path(u"a/song.ogg"_s), randomBytes(1024 * 1024, 9)));
        QVERIFY(writeFile(path(u"secret.txt"_s), "not shared"));
        a = std::make_unique<Peer>();
        b = std::make_unique<Peer>();
        c = std::make_unique<Peer>();
        d = std::make_unique<Peer>();
        const std::pair<Peer *, QString> all[] = {{a.get(), u"alice"_s},
                                                  {b.get(), u"bob"_s},
                                                  {c.get(), u"carol"_s},
                                                  {d.get(), u"dave"_s}};
        for (const auto &[p, nick] : all) {
            QVERIFY(p->connectTo(m_server->port(), nick));
            QVERIFY(p->join(kRoom));
            p->setUp(path(u"down-"_s + nick.left(1)), p == b.get() ? maxUploadsB : 3);
        }
        QVERIFY(a->files()->share(path(u"a"_s)));
        QVERIFY(b->files()->share(path(u"b"_s)));
        QVERIFY(c->files()->share(path(u"c"_s)));
        QVERIFY(d->files()->share(path(u"d"_s)));
        for (Peer *p : {a.get(), b.get(), c.get(), d.get()})
            QTRY_COMPARE_WITH_TIMEOUT(p->files()->index()->fileCount(), 1, 5000);
    }

    // A asks @all for the movie and gets the two offers of B and C.
    void findMovie()
    {
        a->files()->find(kRoom, u"movie"_s);
        QTRY_COMPARE_WITH_TIMEOUT(a->offers.size(), 2, 5000);
    }

private Q_SLOTS:
    void cleanup()
    {
        a.reset();
        b.reset();
        c.reset();
        d.reset();
        m_server.reset();
        m_dir.reset();
    }

    void findAllGivesTwoOffersForOneContent()
    {
        startPeers(3);
        findMovie();
        QCOMPARE(a->offers.at(0).sha256, hex(m_movie));
        QCOMPARE(a->offers.at(1).sha256, hex(m_movie));
        QStringList nicks {a->offers.at(0).peerNick, a->offers.at(1).peerNick};
        nicks.sort();
        QCOMPARE(nicks, (QStringList {u"bob"_s, u"carol"_s}));
        QCOMPARE(a->offers.at(0).size, m_movie.size());
        QCOMPARE(a->offers.at(0).freeSlots, 3);
        QVERIFY(!a->offers.at(0).late);
        // One peer only: D asks bob directly for everything.
        d->files()->find(kRoom, u"*"_s, u"@bob"_s);
        QTRY_COMPARE(d->offers.size(), 1);
        QCOMPARE(d->offers.at(0).peerNick, u"bob"_s);
        QCOMPARE(a->offers.size(), 2); // D's request never reached A's offers
    }

    void busySourceFallsBackToTheNext()
    {
        startPeers(0); // bob has no upload slot
        findMovie();
        const auto fromBob = a->offers.at(0).peerNick == u"bob"_s ? a->offers.at(0).offerId
                                                                  : a->offers.at(1).offerId;
        const QString id = a->files()->download(fromBob);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Done, 20000);
        QCOMPARE(a->refusals, QStringList {u"bob:busy"_s});
        const auto done = *a->last(id);
        QCOMPARE(done.peerNick, u"carol"_s);
        QVERIFY(done.verified);
        QCOMPARE(readFile(done.localPath), m_movie);
        QCOMPARE(QFileInfo(done.localPath).fileName(), u"movie.bin"_s);
    }

    void uploadWhileDownloading()
    {
        startPeers(0);
        findMovie();
        d->files()->find(kRoom, u"song"_s);
        QTRY_COMPARE(d->offers.size(), 1);
        const QString down = a->files()->downloadBest(hex(m_movie));
        const QString up = d->files()->download(d->offers.at(0).offerId);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(down), TransferInfo::State::Done, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(d->state(up), TransferInfo::State::Done, 20000);
        QCOMPARE(readFile(a->last(down)->localPath), m_movie);
        QCOMPARE(readFile(d->last(up)->localPath), readFile(path(u"a/song.ogg"_s)));
        bool aUploaded = false;
        for (const auto &t : a->updates)
            aUploaded |= t.direction == TransferInfo::Direction::Upload
                    && t.state == TransferInfo::State::Done;
        QVERIFY(aUploaded);
    }

    void existingFileIsNeverOverwritten()
    {
        startPeers(3);
        QVERIFY(writeFile(path(u"down-a/movie.bin"_s), "mine"));
        findMovie();
        const QString id = a->files()->downloadBest(hex(m_movie));
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Done, 20000);
        QCOMPARE(readFile(path(u"down-a/movie.bin"_s)), QByteArray("mine"));
        QCOMPARE(QFileInfo(a->last(id)->localPath).fileName(), u"movie (1).bin"_s);
    }

    void uploaderStoppedMidwayResumesFromAnother()
    {
        startPeers(3);
        FileSharing::Settings slow = b->files()->settings();
        slow.uploadRateCap = 400 * 1024; // about five seconds for the movie
        b->files()->setSettings(slow);
        findMovie();
        const auto fromBob = a->offers.at(0).peerNick == u"bob"_s ? a->offers.at(0).offerId
                                                                  : a->offers.at(1).offerId;
        const QString id = a->files()->download(fromBob);
        QTRY_VERIFY_WITH_TIMEOUT(a->last(id) && a->last(id)->bytesDone > 256 * 1024, 10000);
        QCOMPARE(a->last(id)->peerNick, u"bob"_s);
        const qint64 reached = a->last(id)->bytesDone;
        b.reset(); // bob's client goes away mid-transfer
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Done, 20000);
        const auto done = *a->last(id);
        QCOMPARE(done.peerNick, u"carol"_s);
        QVERIFY(done.verified);
        QVERIFY(reached < m_movie.size());
        QCOMPARE(readFile(done.localPath), m_movie);
        QVERIFY(!QFile::exists(done.localPath + u".part"_s));
    }

    void requestsByPathOrUnsharedContentAreRefused()
    {
        startPeers(3);
        const QString bobId = b->core.clientId();
        const QCborMap withPath {
                {u"xfer"_s, u"x1"_s}, {u"key"_s, hex(m_movie)}, {u"path"_s, path(u"secret.txt"_s)}};
        a->core.relay(kRoom, u"get"_s, withPath, {bobId});
        const QCborMap traversal {{u"xfer"_s, u"x2"_s}, {u"key"_s, u"../secret.txt"_s}};
        a->core.relay(kRoom, u"get"_s, traversal, {bobId});
        const QCborMap unshared {{u"xfer"_s, u"x3"_s}, {u"key"_s, hex("not shared")}};
        a->core.relay(kRoom, u"get"_s, unshared, {bobId});
        QTRY_VERIFY(a->hasRelay(u"refuse"_s, u"xfer"_s, u"x1"_s));
        QTRY_VERIFY(a->hasRelay(u"refuse"_s, u"xfer"_s, u"x2"_s));
        QTRY_VERIFY(a->hasRelay(u"refuse"_s, u"xfer"_s, u"x3"_s));
        QVERIFY(!a->hasRelay(u"accept"_s, u"xfer"_s, u"x1"_s));
        QCOMPARE(b->files()->counters().acceptedRequests, 0u);
        QCOMPARE(b->files()->counters().refusedRequests, 3u);
        // Bob keeps serving the room.
        findMovie();
        const QString id = a->files()->downloadBest(hex(m_movie));
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Done, 20000);
    }

    void forgedAndReusedTokensAreRefused()
    {
        startPeers(3);
        // The token is bound to the key the get names, which must be the requester's proven
        // member key: the raw endpoint signs with a's.
        auto rawKey = a->core.identity();
        const QCborMap get {
                {u"xfer"_s, u"y1"_s}, {u"key"_s, hex(m_movie)}, {u"pk"_s, rawKey->publicKey()}};
        a->core.relay(kRoom, u"get"_s, get, {b->core.clientId()});
        QTRY_VERIFY(a->hasRelay(u"accept"_s, u"xfer"_s, u"y1"_s));
        std::optional<Client::FileSignal::Accept> accept;
        for (const auto &r : a->relays) {
            if (r.kind == u"accept"_s)
                accept = Client::FileSignal::decodeAccept(r.body);
        }
        QVERIFY(accept);
        Transfer::Endpoint raw;
        raw.setIdentity(rawKey);
        QVERIFY(raw.bind(QHostAddress::LocalHost, 0));
        QSignalSpy finished(&raw, &Transfer::Endpoint::finished);
        QSignalSpy failed(&raw, &Transfer::Endpoint::failed);
        auto request = [&](const QByteArray &token, const QString &name) {
            Transfer::DownloadRequest r;
            r.peer = QHostAddress::LocalHost;
            r.port = accept->port;
            r.token = token;
            r.size = quint64(m_movie.size());
            r.sha256 = Client::FileSignal::sha256Raw(hex(m_movie));
            r.destination = path(u"down-a/"_s + name);
            return raw.startDownload(r);
        };
        QByteArray forged = accept->token;
        forged[0] = char(forged.at(0) ^ 0x5a);
        request(forged, u"forged.bin"_s);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.at(0).at(1).value<Transfer::TransferError>(),
                 Transfer::TransferError::Refused);
        request(accept->token, u"first.bin"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        request(accept->token, u"again.bin"_s);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 10000);
        QCOMPARE(failed.at(1).at(1).value<Transfer::TransferError>(),
                 Transfer::TransferError::Refused);
        QVERIFY(!QFile::exists(path(u"down-a/again.bin"_s)));
        QCOMPARE(readFile(path(u"down-a/first.bin"_s)), m_movie);
    }

    void peerFromAnotherRoomGetsNothing()
    {
        startPeers(3);
        Peer eve;
        QVERIFY(eve.connectTo(m_server->port(), u"eve"_s));
        QVERIFY(eve.join(u"elsewhere"_s));
        QSignalSpy errors(&eve.core, &Client::ClientCore::serverError);
        const QCborMap get {{u"xfer"_s, u"z1"_s}, {u"key"_s, hex(m_movie)}};
        eve.core.relay(kRoom, u"get"_s, get, {u"bob"_s}); // not a member: the server refuses
        QVERIFY(errors.wait(5000));
        eve.core.relay(u"elsewhere"_s, u"get"_s, get, {u"bob"_s}); // bob is not there
        eve.core.relay(u"elsewhere"_s, u"find"_s,
                       QCborMap {{u"req"_s, u"r1"_s}, {u"pattern"_s, u"*"_s}});
        // A round trip through the server orders everything sent before it.
        QSignalSpy pong(&eve.core, &Client::ClientCore::pongReceived);
        eve.core.ping();
        QVERIFY(pong.wait(5000));
        QCOMPARE(b->files()->counters().acceptedRequests, 0u);
        QCOMPARE(b->files()->counters().refusedRequests, 0u); // bob never saw a request
        QVERIFY(!b->hasRelay(u"get"_s, u"xfer"_s, u"z1"_s));
        QVERIFY(!b->hasRelay(u"find"_s, u"req"_s, u"r1"_s));
        QVERIFY(eve.relays.isEmpty());
    }

    void malformedBodiesAreDroppedAndCounted()
    {
        startPeers(3);
        a->core.relay(kRoom, u"offer"_s, QCborMap {{u"req"_s, 5}});
        a->core.relay(kRoom, u"find"_s, QCborMap {{u"pattern"_s, u"x"_s}});
        QTRY_COMPARE(b->files()->counters().malformed, 2u);
        QVERIFY(!Client::FileSignal::decodeGet(
                QCborMap {{u"xfer"_s, u"a b"_s}, {u"key"_s, hex("x")}}));
        QVERIFY(!Client::FileSignal::decodeAccept(
                QCborMap {{u"xfer"_s, u"a"_s}, {u"token"_s, QByteArray(3, 'x')}}));
    }

    // The transfer's path (docs/NAT.md): on loopback every candidate is a host one.
    void bothSidesReportTheDirectLanPath()
    {
        startPeers(3);
        a->files()->find(kRoom, u"song"_s, u"@alice"_s); // nothing: alice does not ask herself
        b->files()->find(kRoom, u"song"_s);
        QTRY_COMPARE_WITH_TIMEOUT(b->offers.size(), 1, 5000);
        QSignalSpy started(b->files(), &FileSharing::transferStarted);
        const QString id = b->files()->download(b->offers.at(0).offerId);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(id), TransferInfo::State::Done, 20000);
        QCOMPARE(b->last(id)->path, u"direct-lan"_s);
        QVERIFY(!started.isEmpty());
        QCOMPARE(started.first().at(0).value<TransferInfo>().path, u"direct-lan"_s);
        // The uploader's own report may come a moment after the downloader's end.
        std::optional<TransferInfo> upload;
        const auto lastUpload = [&] {
            for (const auto &t : std::as_const(a->updates)) {
                if (t.direction == TransferInfo::Direction::Upload)
                    upload = t;
            }
            return upload.has_value();
        };
        QTRY_VERIFY_WITH_TIMEOUT(lastUpload(), 5000);
        QCOMPARE(upload->path, u"direct-lan"_s);
    }

    // Resent is one figure, the same on both sides: with 5 % of the uploader's datagrams lost,
    // both report about 5 % (the downloader once divided by the ACKs it sent and showed ~50 %).
    void bothSidesReportTheSameResentShare()
    {
        startPeers(3);
        FileSharing::Settings lossy = a->files()->settings();
        lossy.impairment.loss = 0.05;
        a->files()->setSettings(lossy);
        b->files()->find(kRoom, u"song"_s);
        QTRY_COMPARE_WITH_TIMEOUT(b->offers.size(), 1, 5000);
        const QString id = b->files()->download(b->offers.at(0).offerId);
        QTRY_COMPARE_WITH_TIMEOUT(b->state(id), TransferInfo::State::Done, 20000);
        // The highest figure each side reported while the transfer ran.
        const auto peak = [](const Peer &p, TransferInfo::Direction direction) {
            double ratio = 0;
            for (const auto &t : p.updates) {
                if (t.direction == direction)
                    ratio = std::max(ratio, t.retransmitRatio);
            }
            return ratio;
        };
        const double downloader = peak(*b, TransferInfo::Direction::Download);
        double uploader = 0;
        QTRY_VERIFY_WITH_TIMEOUT((uploader = peak(*a, TransferInfo::Direction::Upload)) > 0, 5000);
        QVERIFY2(uploader > 0.01 && uploader < 0.12, qPrintable(QString::number(uploader)));
        QVERIFY2(downloader > 0.01 && downloader < 0.12, qPrintable(QString::number(downloader)));
        QVERIFY2(std::abs(downloader - uploader) < 0.03,
                 qPrintable(u"%1 vs %2"_s.arg(downloader).arg(uploader)));
    }

    // A nick whose key changed moves no files until the user trusts the new key: its offers
    // are dropped (so there is nothing to pick) and its gets refused.
    void noFilesMoveWithAMemberWhoseKeyChanged()
    {
        startPeers(3);
        findMovie(); // alice has seen bob's (and carol's) key: first sight, trusted
        b->core.disconnectFromServer();
        c->core.disconnectFromServer();
        QTRY_COMPARE(m_server->clientCount(), 2); // alice and dave
        auto impostor = std::make_unique<Peer>();
        QVERIFY(impostor->connectTo(m_server->port(), u"bob"_s));
        QVERIFY(impostor->join(kRoom));
        impostor->setUp(path(u"down-b"_s));
        QVERIFY(impostor->files()->share(path(u"b"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(impostor->files()->index()->fileCount(), 1, 5000);
        a->offers.clear();
        a->files()->find(kRoom, u"movie"_s);
        QTRY_VERIFY_WITH_TIMEOUT(a->files()->counters().untrustedKey > 0, 5000);
        QTest::qWait(300);
        QVERIFY(a->offers.isEmpty());
        // The impostor asks alice for her song: refused, nothing sent.
        impostor->files()->find(kRoom, u"song"_s);
        QTRY_VERIFY_WITH_TIMEOUT(a->files()->counters().untrustedKey > 1, 5000);
        QVERIFY(impostor->offers.isEmpty());
        // Once alice trusts the new key, bob's offers count again.
        QVERIFY(a->core.trustKey(u"bob"_s));
        a->files()->find(kRoom, u"movie"_s);
        QTRY_COMPARE_WITH_TIMEOUT(a->offers.size(), 1, 5000);
        impostor.reset();
    }

    void reflexiveAddressIsLearntAndSentWithTheGet()
    {
        startPeers(3);
        // The transfer socket probes the server's UDP side (same port as TCP).
        QTRY_VERIFY_WITH_TIMEOUT(a->files()->reflexiveCandidate().has_value(), 5000);
        const auto reflexive = *a->files()->reflexiveCandidate();
        QCOMPARE(reflexive.port, a->files()->udpPort());
        QCOMPARE(reflexive.address, QHostAddress(QHostAddress::LocalHost));
        findMovie();
        a->files()->download(a->offers.at(0).offerId);
        const QString peer = a->offers.at(0).peerNick;
        Peer *uploader = peer == u"bob"_s ? b.get() : c.get();
        QTRY_VERIFY_WITH_TIMEOUT(uploader->hasRelay(u"get"_s, u"xfer"_s, u"t1-1"_s), 5000);
        for (const auto &r : std::as_const(uploader->relays)) {
            if (r.kind != u"get"_s)
                continue;
            const auto get = Client::FileSignal::decodeGet(r.body);
            QVERIFY(get);
            QVERIFY(get->candidates.contains(reflexive));
            QVERIFY(get->candidates.contains(Transfer::Candidate {QHostAddress::LocalHost,
                                                                  a->files()->udpPort(),
                                                                  Transfer::CandidateKind::Host}));
        }
    }

    void forcedRelayArrivesByteIdenticalAndRelayed()
    {
        startPeers(3);
        FileSharing::Settings s = a->files()->settings();
        s.forceRelay = true;
        a->files()->setSettings(s);
        findMovie();
        const QString id = a->files()->download(a->offers.at(0).offerId);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Done, 30000);
        QVERIFY(a->last(id)->verified);
        QCOMPARE(a->last(id)->path, u"relayed"_s);
        QCOMPARE(readFile(a->last(id)->localPath), m_movie);
        // One session: the first source completes through it, and it ends with the transfer,
        // not by its 30 s idle expiry.
        QCOMPARE(m_server->udpRelay()->sessionsOpened(), quint64(1));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->udpRelay()->sessionCount(), 0, 3000);
        Peer *uploader = a->offers.at(0).peerNick == u"bob"_s ? b.get() : c.get();
        const auto uploads = [uploader] {
            QList<TransferInfo> found;
            for (const auto &t : std::as_const(uploader->updates)) {
                if (t.direction == TransferInfo::Direction::Upload)
                    found.append(t);
            }
            return found;
        };
        // Every row the uploader showed named the path, its first one too; the last is Done.
        QTRY_VERIFY_WITH_TIMEOUT(
                !uploads().isEmpty() && uploads().constLast().state == TransferInfo::State::Done,
                5000);
        for (const TransferInfo &t : uploads())
            QCOMPARE(t.path, u"relayed"_s);
    }

    void noRelayOnTheServerFailsTheSource()
    {
        startPeers(3, 0); // the server relays nothing
        FileSharing::Settings s = a->files()->settings();
        s.forceRelay = true;
        s.retryWindow = std::chrono::milliseconds(0);
        a->files()->setSettings(s);
        findMovie();
        const QString id = a->files()->download(a->offers.at(0).offerId);
        QTRY_COMPARE_WITH_TIMEOUT(a->state(id), TransferInfo::State::Failed, 20000);
        bool toldWhy = false;
        for (const auto &t : std::as_const(a->updates))
            toldWhy = toldWhy || t.error.contains(u"no relay"_s);
        QVERIFY(toldWhy);
        QVERIFY(!QFile::exists(path(u"down-a/movie.bin"_s)));
    }

    void candidateBodiesAreStrict()
    {
        namespace FS = Client::FileSignal;
        const QCborMap host {
                {u"ip"_s, u"192.168.1.4"_s}, {u"port"_s, 4000}, {u"kind"_s, u"host"_s}};
        const QCborMap srflx {
                {u"ip"_s, u"203.0.113.9"_s}, {u"port"_s, 61000}, {u"kind"_s, u"srflx"_s}};
        auto get = [&](const QCborArray &cands) {
            return FS::decodeGet(
                    QCborMap {{u"xfer"_s, u"x"_s}, {u"key"_s, hex("x")}, {u"cands"_s, cands}});
        };
        const auto ok = get(QCborArray {host, srflx});
        QVERIFY(ok);
        QCOMPARE(ok->candidates.size(), 2);
        QCOMPARE(ok->candidates.at(1).kind, Transfer::CandidateKind::Reflexive);
        QCOMPARE(ok->candidates.at(1).port, quint16(61000));
        // Round trip.
        const auto again = FS::decodeGet(FS::encode(*ok));
        QVERIFY(again);
        QCOMPARE(again->candidates, ok->candidates);
        QCborArray nine;
        for (int i = 0; i < 9; ++i)
            nine.append(host);
        QVERIFY(!get(nine)); // more than MaxCandidates
        QCborMap badIp = host;
        badIp[u"ip"_s] = u"not-an-address"_s;
        QVERIFY(!get(QCborArray {host, badIp}));
        QCborMap badKind = host;
        badKind[u"kind"_s] = u"relay"_s;
        QVERIFY(!get(QCborArray {badKind}));
        QCborMap badPort = host;
        badPort[u"port"_s] = 70000;
        QVERIFY(!get(QCborArray {badPort}));
        QVERIFY(!get(QCborArray {u"192.168.1.4"_s})); // an entry that is not a map
        QVERIFY(!FS::decodeGet(
                QCborMap {{u"xfer"_s, u"x"_s}, {u"key"_s, hex("x")}, {u"cands"_s, u"all"_s}}));
        // relay-offer: the token is 16 bytes and the address an address.
        const QCborMap offer {{u"xfer"_s, u"t1-1"_s},
                              {u"ip"_s, u"127.0.0.1"_s},
                              {u"port"_s, 40000},
                              {u"token"_s, QByteArray(16, 'k')}};
        QVERIFY(FS::decodeRelayOffer(offer));
        QCborMap shortToken = offer;
        shortToken[u"token"_s] = QByteArray(8, 'k');
        QVERIFY(!FS::decodeRelayOffer(shortToken));
        QCborMap anyIp = offer;
        anyIp[u"ip"_s] = u"0.0.0.0"_s;
        QVERIFY(!FS::decodeRelayOffer(anyIp));
    }

    void relayOfferForAnUnknownTransferIsIgnored()
    {
        startPeers(3);
        const QCborMap offer {{u"xfer"_s, u"t9-9"_s},
                              {u"ip"_s, u"127.0.0.1"_s},
                              {u"port"_s, 9},
                              {u"token"_s, QByteArray(16, 'k')}};
        a->core.relay(kRoom, u"relay-offer"_s, offer, {b->core.clientId()});
        QTRY_COMPARE(b->files()->counters().malformed, 1u);
    }

    void announcedShareCanBeDownloaded()
    {
        startPeers(3);
        QVERIFY(writeFile(path(u"dropped.dat"_s), randomBytes(256 * 1024, 3)));
        QSignalSpy announced(b->files(), &FileSharing::shareAnnounced);
        QVERIFY(a->files()->shareAndAnnounce(kRoom, path(u"dropped.dat"_s)));
        QVERIFY(announced.wait(5000));
        QCOMPARE(announced.at(0).at(1).toString(), u"dropped.dat"_s);
        QCOMPARE(announced.at(0).at(4).toString(), u"alice"_s);
        const QString id = b->files()->downloadBest(announced.at(0).at(3).toString());
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(b->state(id), TransferInfo::State::Done, 20000);
        QCOMPARE(readFile(b->last(id)->localPath), readFile(path(u"dropped.dat"_s)));
    }

    void plannerPrefersFreeSlotsThenRoundTrip()
    {
        Client::DownloadPlanner planner;
        planner.addSource({u"s/1"_s, u"busy"_s, kRoom, {}, 0, 1.0});
        planner.addSource({u"s/2"_s, u"far"_s, kRoom, {}, 2, 90.0});
        planner.addSource({u"s/3"_s, u"near"_s, kRoom, {}, 1, 10.0});
        QCOMPARE(planner.next()->peerNick, u"near"_s);
        planner.markTried(u"s/3"_s);
        QCOMPARE(planner.next()->peerNick, u"far"_s);
        planner.markTried(u"s/2"_s);
        QCOMPARE(planner.next()->peerNick, u"busy"_s);
        planner.markTried(u"s/1"_s);
        QVERIFY(!planner.next());
        QVERIFY(planner.newRound());
        planner.prefer(u"s/1"_s);
        QCOMPARE(planner.next()->peerNick, u"busy"_s);
        planner.removeSource(u"s/1"_s);
        QCOMPARE(planner.sourceCount(), 2);
    }

    void fileCommandsParse()
    {
        namespace C = Client::Command;
        const auto find = C::parse(u"find @bob holiday photos"_s);
        QVERIFY(find.command);
        QCOMPARE(std::get<C::Find>(*find.command).target, u"bob"_s);
        QCOMPARE(std::get<C::Find>(*find.command).pattern, u"holiday photos"_s);
        QVERIFY(std::get<C::Find>(*C::parse(u"find @all x"_s).command).target.isEmpty());
        QCOMPARE(std::get<C::Get>(*C::parse(u"get o12"_s).command).what, u"o12"_s);
        QCOMPARE(std::get<C::Wait>(*C::parse(u"wait 2.5"_s).command).seconds, 2.5);
        QCOMPARE(std::get<C::Wait>(*C::parse(u"wait"_s).command).seconds, 0.0);
        QVERIFY(std::holds_alternative<C::Transfers>(*C::parse(u"transfers"_s).command));
        QVERIFY(!C::parse(u"wait -1"_s).error.isEmpty());
        QVERIFY(!C::parse(u"find"_s).error.isEmpty());
        QVERIFY(!C::parse(u"get"_s).error.isEmpty());
        QVERIFY(!C::parse(u"share"_s).error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFileSharing)
#include "tst_filesharing.moc"
