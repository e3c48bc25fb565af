#pragma once

#include <QMetaType>
#include <QString>

namespace Client {

// Where the connection to the network stands, as one value that every view shows the same
// way (status bar, reconnect bar, window titles). ServerFailover publishes it.
struct ConnectionStatus
{
    enum class Phase {
        Offline, // not connected and not trying (before the first connect, after quitting)
        Connecting, // dialling, greeting or measuring servers
        Connected,
        Waiting, // lost or unreachable: the next attempt starts in secondsLeft
    };

    Phase phase = Phase::Offline;
    QString server; // Connected: the server's name; Connecting: the address dialled
    QString nick;
    QString error; // why the last attempt or the connection failed (Waiting, Offline)
    int secondsLeft = 0; // Waiting
    bool recovering = false; // connected before: rooms are rejoined when it comes back

    // One line for a status bar ("Connected to s1 as alice", "Offline: connection refused —
    // reconnecting in 4 s").
    [[nodiscard]] QString text() const;

    friend bool operator==(const ConnectionStatus &, const ConnectionStatus &) = default;
};

} // namespace Client

Q_DECLARE_METATYPE(Client::ConnectionStatus)
