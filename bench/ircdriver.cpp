#include <bench/chatdrivers.h>

#include <cstring>

namespace Bench::Gen {

IrcDriver::IrcDriver(const std::string &channel, const std::string &operPassword)
    : m_channel(channel)
    , m_oper(operPassword)
{ }

std::string IrcDriver::greeting(const Conn &c)
{
    const std::string nick = "m" + std::to_string(c.index);
    return "NICK " + nick + "\r\nUSER u" + std::to_string(c.index) + " 0 * :bench\r\n";
}

std::string IrcDriver::message(const Conn &c, int64_t stampNs)
{
    return "PRIVMSG " + m_channel + " :" + std::string(kMarker) + std::to_string(c.sender) + ' '
            + std::to_string(stampNs) + "\r\n";
}

void IrcDriver::consume(Conn &c, Generator &gen, std::string_view data)
{
    // Lines are short: the incomplete last one is all that stays in c.in between reads.
    c.in.append(data);
    const std::string privmsg = " PRIVMSG " + m_channel + " :" + std::string(kMarker);
    for (;;) {
        const size_t eol = c.in.find('\n', c.inOffset);
        if (eol == std::string::npos)
            break;
        const std::string_view line(c.in.data() + c.inOffset, eol - c.inOffset);
        c.inOffset = eol + 1;
        if (line.starts_with("PING")) {
            std::string pong = "PONG";
            pong.append(line.substr(4));
            if (!pong.empty() && pong.back() == '\r')
                pong.pop_back();
            gen.reply(c, pong + "\r\n");
            continue;
        }
        if (line.empty() || line.front() != ':')
            continue;
        if (const size_t at = line.find(privmsg); at != std::string_view::npos) {
            int sender = -1;
            int64_t stamp = 0;
            const char *p = line.data() + at + privmsg.size();
            if (parseStamp(p, line.data() + line.size(), &sender, &stamp))
                gen.onMessage(c, sender, stamp);
            continue;
        }
        // ":server NNN nick ...": the numeric is the second word.
        const size_t space = line.find(' ');
        if (space == std::string_view::npos || line.size() < space + 5)
            continue;
        const std::string_view numeric = line.substr(space + 1, 4);
        if (numeric == "001 ") {
            std::string out;
            if (c.sender >= 0 && !m_oper.empty())
                out += "OPER bench " + m_oper + "\r\nMODE m" + std::to_string(c.index) + " +F\r\n";
            out += "JOIN " + m_channel + "\r\n";
            gen.reply(c, out);
        } else if (numeric == "366 ") {
            gen.onJoined(c); // end of NAMES: this client's own join is complete
        }
    }
    c.in.erase(0, c.inOffset);
    c.inOffset = 0;
}

} // namespace Bench::Gen
