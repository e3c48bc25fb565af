#pragma once

#include <QString>

namespace Client {

// How a client secures its control connections (docs/PROTOCOL.md, "TLS"). The same value goes
// to the real connection and to every probe of a server, so failover never weakens it.
struct TlsSettings
{
    enum class Mode {
        Pinned, // TLS 1.3; the server's certificate is pinned on first use (the default)
        Insecure, // TLS 1.3 without the pin check: for tests only
        Plain, // no TLS at all: only towards a server started with --plain
    };
    Mode mode = Mode::Pinned;
    // The known-servers file; empty = "known-servers" in the application's data folder.
    QString knownServersFile;

    [[nodiscard]] bool encrypted() const { return mode != Mode::Plain; }
};

} // namespace Client
