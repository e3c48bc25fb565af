// The command line people type (Client::Command::parse): every line of the CLI's stdin or a
// script, and the desktop client's input line.
// Input: text (UTF-8), parsed line by line. Invariants: a line yields a command or an error
// (never both); blank lines and comments yield neither; a parse does not depend on what
// came before it.
#include <tests/fuzz/fuzzsupport.h>

#include <client/command.h>

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size() && i < 256; ++i) {
        const Client::Command::ParseResult r = Client::Command::parse(lines[i]);
        FUZZ_CHECK(!(r.command && !r.error.isEmpty()));
        const QString trimmed = lines[i].trimmed();
        if (trimmed.isEmpty())
            FUZZ_CHECK(!r.command && r.error.isEmpty());
        const Client::Command::ParseResult again = Client::Command::parse(lines[i]);
        FUZZ_CHECK(again.command.has_value() == r.command.has_value() && again.error == r.error);
        if (r.command)
            FUZZ_CHECK(again.command->index() == r.command->index());
    }
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    return {
            {u"chat"_s,
             "say hello\n@all hi everyone\n@bob,@carol psst\n@bob @10.0.0.2 both\n"
             "msg @bob only you\n"},
            {u"rooms"_s, "join #lobby\nuse #lobby\nwho\nwho #files\nleave\nleave #files\n"},
            {u"files"_s,
             "share /home/alice/share\nfind *.iso\nfind @bob report\nget o3\n"
             "get *.pdf\ntransfers\ncancel t1\nwait 30\nwait\n"},
            {u"misc"_s, "# a comment\n\nping\nping s2\nsleep 0.5\nhelp\nquit\n/join #gui\n"},
            {u"errors"_s, "join\nsleep x\nfrobnicate\n@ no text\nwait -1\ncancel\n"},
    };
}
