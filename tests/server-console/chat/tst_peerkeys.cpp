#include <tests/support/localserver.h>
#include <tests/support/testclient.h>

#include <client/chatmodels.h>
#include <client/knownpeers.h>
#include <client/memberlistmodel.h>
#include <client/messagelistmodel.h>
#include <server-console/chat/chatserver.h>

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

// "Key changed": a nick met again with another key is flagged to the user once per session,
// stays marked in the member list until the user trusts the new key, and the store keeps the
// old key until then (docs/PROTOCOL.md, "Identities").
class TestPeerKeys : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<Server::ChatServer> m_server;
    quint16 m_port = 0;

private Q_SLOTS:
    void init()
    {
        startLocalServer(m_server);
        m_port = m_server->port();
    }
    void cleanup() { m_server.reset(); }

    void changedKeyIsFlaggedOnceAndMarkedUntilTrusted()
    {
        QTemporaryDir dir;
        const QString store = dir.filePath(u"known-peers"_s);
        TestClient alice(u"alice"_s);
        alice.core.setKnownPeers(std::make_shared<Client::KnownPeers>(store));
        Client::ChatModels models(&alice.core);
        QSignalSpy changed(&alice.core, &Client::ClientCore::memberKeyChanged);
        QVERIFY(alice.connectTo(m_port));
        QVERIFY(alice.join(u"lobby"_s));

        // First sight of bob: recorded, nothing said.
        QByteArray firstKey;
        {
            TestClient bob(u"bob"_s);
            QVERIFY(bob.connectTo(m_port));
            QVERIFY(bob.join(u"lobby"_s));
            firstKey = bob.core.identity()->publicKey();
            bob.core.say(u"lobby"_s, u"hi"_s);
            QTRY_COMPARE(alice.messages.size(), 1);
            QCOMPARE(alice.core.knownPeers().trustedKey(u"bob"_s), firstKey);
            Client::KnownPeers onDisk(store); // the first sight is already written
            QVERIFY(onDisk.load());
            QCOMPARE(onDisk.trustedKey(u"bob"_s), firstKey);
            bob.core.disconnectFromServer();
            QTRY_COMPARE(alice.leaves.size(), 1);
        }
        QCOMPARE(changed.size(), 0);

        // Another "bob" with another key: flagged once, with both fingerprints, even though
        // he shows up in member-joined, a message and a rejoin.
        TestClient impostor(u"bob"_s);
        QVERIFY(impostor.connectTo(m_port));
        QVERIFY(impostor.join(u"lobby"_s));
        const QByteArray newKey = impostor.core.identity()->publicKey();
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toString(), u"lobby"_s);
        QCOMPARE(changed.at(0).at(1).value<Protocol::MemberInfo>().nick, u"bob"_s);
        QCOMPARE(changed.at(0).at(2).toString(), Crypto::IdentityKey::fingerprintOf(firstKey));
        QCOMPARE(changed.at(0).at(3).toString(), Crypto::IdentityKey::fingerprintOf(newKey));
        impostor.core.say(u"lobby"_s, u"it's me"_s);
        QTRY_COMPARE(alice.messages.size(), 2);
        impostor.core.leave(u"lobby"_s);
        QTRY_COMPARE(alice.leaves.size(), 2);
        QVERIFY(impostor.join(u"lobby"_s));
        QTRY_COMPARE(alice.core.members(u"lobby"_s).size(), 2);
        QCOMPARE(changed.size(), 1);
        // The old key stays trusted; the member list keeps the mark and says why.
        QCOMPARE(alice.core.knownPeers().trustedKey(u"bob"_s), firstKey);
        Client::MemberListModel *members = models.members(u"lobby"_s);
        const int row = members->indexOfNick(u"bob"_s);
        QVERIFY(row >= 0);
        QVERIFY(members->index(row).data(Client::MemberListModel::KeyChangedRole).toBool());
        QVERIFY(members->index(row)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(Crypto::IdentityKey::fingerprintOf(firstKey)));
        // ... and the room has a warning line.
        Client::MessageListModel *lines = models.messages(u"lobby"_s);
        bool warned = false;
        for (int i = 0; i < lines->rowCount(); ++i)
            warned |= lines->index(i).data(Qt::DisplayRole).toString().contains(u"key of bob"_s);
        QVERIFY(warned);

        // The user accepts the new key: the mark goes, the store remembers it.
        QSignalSpy trusted(&alice.core, &Client::ClientCore::memberKeyTrusted);
        QVERIFY(alice.core.trustKey(u"bob"_s));
        QCOMPARE(trusted.size(), 1);
        QVERIFY(!members->index(row).data(Client::MemberListModel::KeyChangedRole).toBool());
        QVERIFY(!alice.core.trustKey(u"nobody"_s));
        Client::KnownPeers reloaded(store);
        QVERIFY(reloaded.load());
        QCOMPARE(reloaded.trustedKey(u"bob"_s), newKey);
    }
};

QTEST_GUILESS_MAIN(TestPeerKeys)
#include "tst_peerkeys.moc"
