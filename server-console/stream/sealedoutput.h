#pragma once

#include <vector>

struct bio_st;

namespace Server::SealedOutput {

// A write BIO for a server session's TLS: the records OpenSSL seals are appended to this
// thread's staging buffer instead of being written one system call each, and the session
// writes them itself, many records at a time. Over a descriptor BIO every 16 KiB record was
// its own write(2) and its own loopback packet; a join burst into a large room wrote 200,000
// of them. It never refuses bytes: the session bounds what it seals per write.
[[nodiscard]] bio_st *newBio();

// What the sessions of this thread sealed and have not handed to the kernel yet. Empty between
// two sessions' turns: a session takes all of it (into its own carry if the kernel is full).
[[nodiscard]] std::vector<char> &staging();

} // namespace Server::SealedOutput
