#include <client/connectionstatus.h>

#include <QCoreApplication>

namespace Client {

QString ConnectionStatus::text() const
{
    // Spelt out for lupdate, which reads only literal translate() calls.
    switch (phase) {
    case Phase::Offline:
        return error.isEmpty()
                ? QCoreApplication::translate("Client::ConnectionStatus", "Offline")
                : QCoreApplication::translate("Client::ConnectionStatus", "Offline: %1").arg(error);
    case Phase::Connecting:
        return server.isEmpty()
                ? QCoreApplication::translate("Client::ConnectionStatus", "Connecting…")
                : QCoreApplication::translate("Client::ConnectionStatus", "Connecting to %1…")
                          .arg(server);
    case Phase::Connected:
        return QCoreApplication::translate("Client::ConnectionStatus", "Connected to %1 as %2")
                .arg(server, nick);
    case Phase::Waiting:
        return error.isEmpty() ? QCoreApplication::translate("Client::ConnectionStatus",
                                                             "Offline — reconnecting in %n s",
                                                             nullptr, secondsLeft)
                               : QCoreApplication::translate("Client::ConnectionStatus",
                                                             "Offline (%1) — reconnecting in %n s",
                                                             nullptr, secondsLeft)
                                         .arg(error);
    }
    return {};
}

} // namespace Client
