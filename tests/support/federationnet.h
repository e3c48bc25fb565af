#pragma once

#include <tests/support/testclient.h>

#include <server-console/chat/chatserver.h>

#include <memory>
#include <vector>

// Several servers in one process on 127.0.0.1, port 0, with short link timers so that dead
// links and re-dials happen within a test's patience.
struct FederationNet
{
    std::vector<std::unique_ptr<Server::ChatServer>> servers;
    std::vector<std::unique_ptr<TestClient>> clients;

    static Server::ServerConfig config(const QString &name, const QByteArray &secret)
    {
        Server::ServerConfig c;
        c.address = QHostAddress::LocalHost;
        c.port = 0;
        c.name = name;
        c.linkSecret = secret;
        c.heartbeatMs = 100;
        c.deadLinkMs = 500;
        c.redialMs = 150;
        c.messagesPerSecond = 1000;
        c.messageBurst = 1000;
        return c;
    }
    Server::ChatServer &add(const QString &name,
                            const QByteArray &secret = "federation-test-secret")
    {
        return add(config(name, secret));
    }
    Server::ChatServer &add(const Server::ServerConfig &config)
    {
        auto server = std::make_unique<Server::ChatServer>(config);
        QString error;
        if (!server->start(&error))
            qFatal("cannot start %s", qPrintable(error));
        servers.push_back(std::move(server));
        return *servers.back();
    }
    // `from` dials `to`.
    void link(int from, int to)
    {
        servers[from]->federation().links().addPeer(QStringLiteral("127.0.0.1"),
                                                    servers[to]->port());
    }
    [[nodiscard]] bool allSee(int count) const
    {
        for (const auto &s : servers) {
            if (s->federation().router().reachable().size() != count)
                return false;
        }
        return true;
    }
    TestClient &client(const QString &nick, int server, bool showAddress = false)
    {
        clients.push_back(std::make_unique<TestClient>(nick));
        clients.back()->core.setShowAddress(showAddress);
        if (!clients.back()->connectTo(servers[server]->port()))
            qFatal("client %s could not connect", qPrintable(nick));
        return *clients.back();
    }
    ~FederationNet()
    {
        clients.clear();
        servers.clear();
    }
};
