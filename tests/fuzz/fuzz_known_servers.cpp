// The pinned server certificates file (Client::KnownServers::parse, what find() reads): a file
// in the user's data directory that may be damaged, truncated or edited.
// Input: the file's contents. Invariants: one Line per line of the file, so the line numbers
// in "remove line N" stay true; an entry's host:port holds no blank and its fingerprint is
// canonical or empty; the entries with a fingerprint, written back one per line, parse to the
// same entries.
#include <tests/fuzz/fuzzsupport.h>

#include <client/knownservers.h>

#include <crypto/certificatefingerprint.h>

using namespace Qt::StringLiterals;
using Client::KnownServers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray contents = Fuzz::bytes(data, size);
    const QList<KnownServers::Line> lines = KnownServers::parse(contents);
    FUZZ_CHECK(lines.size() == contents.count('\n') + 1);
    QByteArray rewritten;
    QList<KnownServers::Line> pinned;
    for (const KnownServers::Line &l : lines) {
        if (l.hostPort.isEmpty()) {
            FUZZ_CHECK(l.fingerprint.isEmpty());
            continue;
        }
        FUZZ_CHECK(!l.hostPort.contains(u' '));
        FUZZ_CHECK(Crypto::normalizedFingerprint(l.fingerprint) == l.fingerprint);
        if (l.fingerprint.isEmpty())
            continue;
        rewritten += l.hostPort.toUtf8() + ' ' + l.fingerprint.toLatin1() + '\n';
        pinned.append(l);
    }
    const QList<KnownServers::Line> again = KnownServers::parse(rewritten);
    FUZZ_CHECK(again.size() == pinned.size() + 1); // and the empty line after the last '\n'
    for (qsizetype i = 0; i < pinned.size(); ++i)
        FUZZ_CHECK(again[i].hostPort == pinned[i].hostPort
                   && again[i].fingerprint == pinned[i].fingerprint);
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const QByteArray fp = Crypto::certificateFingerprint("server certificate").toLatin1();
    const QByteArray colons = "AB:CD:" + QByteArray(60, 'e').toUpper();
    return {
            {u"two-servers"_s, "127.0.0.1:7000 " + fp + "\n[::1]:7001 " + fp + "\n"},
            {u"comments"_s, "# pinned on first use\n\nchat.example.org:7000 " + fp + "\n"},
            {u"other-forms"_s, "a:1 " + fp.mid(7).toUpper() + "\nb:2  " + colons + " \n"},
            {u"garbled"_s, "only-one-field\nthree fields here\nc:3 SHA256:zz\n"},
    };
}
