#pragma once

#include <bench/loadgen.h>

#include <string>
#include <vector>

namespace Bench::Gen {

// Hopshare's protocol: length-prefixed CBOR frames. Only the bytes the bench needs are looked
// at (the frame type, and the marker in a message's text); nothing is decoded, and a frame that
// is not a message (a member list of thousands, presence) is skipped, never copied.
class HopshareDriver : public Driver
{
public:
    // `hellos`: each client's signed hello frame (by index), made before connecting since the
    // signature covers the server's certificate.
    HopshareDriver(std::vector<std::string> hellos, const std::string &room);
    std::string greeting(const Conn &c) override;
    void consume(Conn &c, Generator &gen, std::string_view data) override;
    std::string message(const Conn &c, int64_t stampNs) override;

private:
    // One frame whose head (or, for a message, whole body) is in `frame`.
    void onFrame(Conn &c, Generator &gen, std::string_view body);

    std::vector<std::string> m_hellos;
    std::string m_join;
    std::string m_room;
};

// IRC (RFC 2812): NICK/USER, JOIN after 001, PRIVMSG to the channel; NAMES and the members'
// JOIN lines are read and dropped. Senders become operators to get user mode +F (ngIRCd's
// relaxed flood protection) when an operator password is given.
class IrcDriver : public Driver
{
public:
    IrcDriver(const std::string &channel, const std::string &operPassword);
    std::string greeting(const Conn &c) override;
    void consume(Conn &c, Generator &gen, std::string_view data) override;
    std::string message(const Conn &c, int64_t stampNs) override;

private:
    std::string m_channel;
    std::string m_oper;
};

// The text every bench message carries: a marker, the sender number and the send time.
inline constexpr std::string_view kMarker = "~B";
// Parses "<sender> <stamp>" right after the marker at `p`; false if malformed.
bool parseStamp(const char *p, const char *end, int *sender, int64_t *stampNs);

} // namespace Bench::Gen
