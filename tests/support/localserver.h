#pragma once

#include <server-console/chat/chatserver.h>

#include <QHostAddress>
#include <QString>
#include <QTest>

#include <memory>

// One chat server on 127.0.0.1 at a port of its choosing, as most tests start it: `config`
// keeps whatever the test set (limits, TLS folder, relay sessions); address, port and name are
// set here. A server that cannot start fails the calling test (QTest::currentTestFailed()).
inline void startLocalServer(std::unique_ptr<Server::ChatServer> &server,
                             Server::ServerConfig config = {},
                             const QString &name = QStringLiteral("alpha"))
{
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.name = name;
    server = std::make_unique<Server::ChatServer>(std::move(config));
    QString error;
    QVERIFY2(server->start(&error), qPrintable(error));
}
