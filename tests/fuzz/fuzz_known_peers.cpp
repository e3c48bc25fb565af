// The known-peers file (Client::KnownPeers::loadFromBytes, what load() reads): the public key
// trusted for each nick, in the user's data directory, possibly damaged or edited.
// Input: the file's contents. Invariants: a load either succeeds with no error or fails with
// one and an empty store; a loaded store holds at most one key per line, each of the identity
// key's size, and sees every stored key as the one it trusts.
#include <tests/fuzz/fuzzsupport.h>

#include <client/knownpeers.h>

#include <protocol/limits.h>

using namespace Qt::StringLiterals;
using Client::KnownPeers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray contents = Fuzz::bytes(data, size);
    KnownPeers peers; // no path: in memory, nothing is written
    QString error;
    const bool ok = peers.loadFromBytes(contents, &error);
    FUZZ_CHECK(ok == error.isEmpty());
    if (!ok) {
        FUZZ_CHECK(peers.size() == 0);
        return 0;
    }
    FUZZ_CHECK(peers.size() <= contents.count('\n') + 1);
    for (const QByteArray &raw : contents.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QString nick = QString::fromUtf8(line.split(' ').value(0));
        const QByteArray key = peers.trustedKey(nick);
        FUZZ_CHECK(key.size() == Protocol::Limits::IdentityKeyBytes);
        FUZZ_CHECK(peers.see(nick, key) == KnownPeers::Sight::Same);
    }
    return 0;
}

Fuzz::Seeds Fuzz::seeds()
{
    const QByteArray a = QByteArray(32, '\x0a').toBase64();
    const QByteArray b = QByteArray(32, '\x0b').toBase64();
    return {
            {u"two-peers"_s, "alice " + a + "\nbob " + b + "\n"},
            {u"comments"_s, "# trusted keys\n\n  carol " + a + "  \n"},
            {u"same-nick"_s, "Alice " + a + "\nalice " + b + "\n"},
            {u"short-key"_s, "dave " + QByteArray(16, '\x01').toBase64() + "\n"},
            {u"bad-line"_s, "eve\nfrank " + a + " extra\n"},
    };
}
