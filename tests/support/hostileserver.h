#pragma once

// A live server with two bystanders chatting in one room, for the hostile-input catalogue:
// each attack runs next to them and must leave them talking.
#include <tests/support/rawclient.h>
#include <tests/support/testclient.h>

#include <server-console/chat/chatserver.h>

#include <QTest>

#include <memory>

namespace Hostile {

using namespace Qt::StringLiterals;

inline const QString kRoom = u"lobby"_s;
// Attackers connect from other loopback addresses, so per-address limits hit them, not the
// bystanders on 127.0.0.1.
inline QHostAddress attacker(int n = 2)
{
    return QHostAddress(u"127.0.0.%1"_s.arg(n));
}

// Limits small enough to reach in a test, and otherwise the defaults.
inline Server::ServerConfig testConfig()
{
    Server::ServerConfig c;
    c.address = QHostAddress::LocalHost;
    c.port = 0;
    c.name = u"alpha"_s;
    c.helloTimeoutMs = 1000;
    c.linkSecret = "a-link-secret-of-some-length";
    return c;
}

// When an attack is sent: on a fresh connection, after hello, or after hello and join.
enum Stage { Fresh, Welcomed, InRoom };

struct LiveServer
{
    std::unique_ptr<Server::ChatServer> server;
    std::unique_ptr<TestClient> alice, bob;
    int probes = 0;

    // QVERIFY inside: the caller checks QTest::currentTestFailed().
    void start(const Server::ServerConfig &config = testConfig())
    {
        server = std::make_unique<Server::ChatServer>(config);
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        alice = std::make_unique<TestClient>(u"alice"_s);
        bob = std::make_unique<TestClient>(u"bob"_s);
        for (TestClient *c : {alice.get(), bob.get()}) {
            QVERIFY(c->connectTo(server->port()));
            QVERIFY(c->join(kRoom));
        }
    }
    [[nodiscard]] quint16 port() const { return server->port(); }
    // Connects `eve` from `from`, then says hello as eve (and joins) as `stage` asks.
    [[nodiscard]] bool prepare(RawClient &eve, int stage, const QHostAddress &from = attacker())
    {
        if (!eve.connectTo(port(), from))
            return false;
        if (stage >= Welcomed && !eve.hello(u"eve"_s))
            return false;
        return stage < InRoom || eve.join(kRoom);
    }
    // Alice says something new; bob must hear it.
    [[nodiscard]] bool bystandersStillChat()
    {
        const QString text = u"still here %1"_s.arg(++probes);
        alice->core.say(kRoom, text);
        return QTest::qWaitFor([&] { return bob->texts().contains(text); }, 5000)
                && alice->disconnectReason.isEmpty() && bob->disconnectReason.isEmpty();
    }
    void stop()
    {
        alice.reset();
        bob.reset();
        server.reset();
    }
};

} // namespace Hostile
