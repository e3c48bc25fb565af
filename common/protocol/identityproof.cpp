#include <protocol/identityproof.h>

namespace Protocol {

QByteArray helloProof(QByteArrayView channelBinding, const QString &nick)
{
    const QByteArray utf8 = nick.toUtf8();
    QByteArray out;
    const QByteArrayView binding
            = channelBinding.first(qMin<qsizetype>(channelBinding.size(), 255));
    out.reserve(qsizetype(sizeof(HelloProofContext)) + 1 + binding.size() + utf8.size());
    out.append(HelloProofContext, qsizetype(sizeof(HelloProofContext))); // with its NUL
    // The binding's length first: an empty binding and a 32-byte one never read alike.
    out.append(char(binding.size()));
    out.append(binding);
    out.append(utf8);
    return out;
}

} // namespace Protocol
