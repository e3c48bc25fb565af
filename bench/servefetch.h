#pragma once

#include <bench/cliutil.h>
#include <bench/transferrunner.h>

#include <transfer/impairment/impairment.h>

#include <QString>

#include <optional>

namespace Bench {

struct ServeFetchOptions
{
    Endpoint endpoint; // where serve listens / where fetch connects
    QString path; // the file served / the output path fetched into
    Transfer::ImpairmentSpec impairment;
    ArqMode mode = ArqMode::SelectiveRepeat;
    Controller controller = Controller::Default;
    int timeoutMs = 120'000;
    int count = 1; // serve: uploads before exiting; fetch: simultaneous downloads
    // Unencrypted transfers (the baseline encryption is measured against): serve accepts
    // them, fetch asks for them. Without it both ends seal every datagram.
    bool plain = false;
    // Through a relay session (`hopshare-bench relay`) instead of the direct path: both ends
    // bind to it with its token, and fetch sends its handshake to the relay.
    std::optional<Endpoint> relay;
    QByteArray relayToken; // 16 bytes
};

// Two-process mode over any network path (netlab namespaces, two hosts): serve waits for one
// fetch, sends and exits; fetch downloads, verifies and prints one JSON line. Both authenticate
// with a token the serving process issues over a small TCP offer channel (offerchannel.h) in
// place of the chat layer. Exit code 0 only on a verified file.
class ServeFetch
{
public:
    [[nodiscard]] static int serve(const ServeFetchOptions &options);
    [[nodiscard]] static int fetch(const ServeFetchOptions &options);
};

} // namespace Bench
