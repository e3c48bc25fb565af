#pragma once

#include <QtGlobal>

namespace Server {

// Every client is a socket, so the soft limit on open files (often 1024) caps the clients a
// process can hold. Raises it to the hard limit, which needs no privilege, and logs both.
// Returns the limit now in force (-1 if it cannot be read).
qint64 raiseFileLimit();

} // namespace Server
