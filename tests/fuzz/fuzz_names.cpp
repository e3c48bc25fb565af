// Names and addresses people and peers choose (protocol/names.h): nicks, rooms, server names
// and "host:port" strings, as they arrive in hello, join, link-hello or a --connect option.
// Input: UTF-8 text. Invariants: what is valid stays within the documented lengths and
// characters, a valid nick's nickKey() is a valid nick and idempotent, and a parsed host:port
// prints back to the same parse.
#include <tests/fuzz/fuzzsupport.h>

#include <protocol/limits.h>
#include <protocol/names.h>

using namespace Qt::StringLiterals;

namespace {

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'_' || c == u'-' || c == u'.';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    if (Protocol::isValidNick(text)) {
        FUZZ_CHECK(!text.isEmpty() && text.size() <= Protocol::Limits::MaxNickLength);
        FUZZ_CHECK(text.front().isLetter() && text.front().unicode() < 128);
        for (QChar c : text)
            FUZZ_CHECK(isNameCharacter(c));
        const QString key = Protocol::nickKey(text);
        FUZZ_CHECK(Protocol::isValidNick(key) && Protocol::nickKey(key) == key);
    }
    if (Protocol::isValidRoom(text)) {
        FUZZ_CHECK(!text.isEmpty() && text.size() <= Protocol::Limits::MaxRoomLength);
        FUZZ_CHECK(text.front() != u'.' && text.front() != u'-');
        for (QChar c : text)
            FUZZ_CHECK(isNameCharacter(c) || c == u'#');
    }
    if (Protocol::isValidServerName(text)) {
        FUZZ_CHECK(!text.isEmpty() && text.size() <= 64);
        for (QChar c : text)
            FUZZ_CHECK(isNameCharacter(c));
    }
    if (const auto hp = Protocol::parseHostPort(text)) {
        // One arg() call: a chained arg() would expand a "%0" inside the host.
        const QString port = QString::number(hp->port);
        const QString printed = hp->host.contains(u':') || hp->host.startsWith(u'[')
                ? u"[%1]:%2"_s.arg(hp->host, port)
                : u"%1:%2"_s.arg(hp->host, port);
        const auto again = Protocol::parseHostPort(printed);
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->host == hp->host && again->port == hp->port);
    }
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const char *const samples[] = {
            "alice",
            "Bob_2.x-y",
            "#lobby",
            "files.2026",
            "s1",
            "127.0.0.1:7000",
            "[::1]:7000",
            ":7000",
            "host.example:65535",
            "@all",
            "9lives",
            "caf\xc3\xa9",
            "[fe80::1%eth0]:1",
    };
    Seeds out;
    int i = 0;
    for (const char *s : samples)
        out.push_back({u"name-%1"_s.arg(i++), QByteArray(s)});
    return out;
}
