#pragma once

namespace Server {

class SessionSocket;

// Sockets written to in this event-loop turn, flushed together by one posted call: one event
// per turn for the whole server, not one per socket (Qt's sockets post one each). The server's
// sockets all live in the main thread.
class FlushQueue
{
public:
    static void add(SessionSocket *socket);
    // A socket that goes away before its turn's flush.
    static void remove(SessionSocket *socket);

private:
    static void run();
};

} // namespace Server
