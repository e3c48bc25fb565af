#include <bench/testfile.h>

#include <crypto/sha256.h>

#include <QFile>

#include <random>
#include <vector>

using namespace Qt::StringLiterals;

namespace Bench {

std::optional<QString> makeTestFile(const QString &path, std::int64_t size, std::uint64_t seed,
                                    QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot create %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    std::mt19937_64 rng(seed);
    Crypto::Sha256 sha;
    std::vector<std::uint64_t> block(1 << 17); // 1 MiB
    for (std::int64_t left = size; left > 0;) {
        for (auto &word : block)
            word = rng();
        const auto n = std::min<std::int64_t>(left, std::int64_t(block.size() * 8));
        sha.addData(block.data(), std::size_t(n));
        if (file.write(reinterpret_cast<const char *>(block.data()), n) != n) {
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
            return std::nullopt;
        }
        left -= n;
    }
    return QString::fromLatin1(Crypto::Sha256::toHex(sha.finish()));
}

std::optional<QString> sha256Hex(const QString &path, QString *error)
{
    const auto digest = Crypto::Sha256::hashFile(path, error);
    if (!digest)
        return std::nullopt;
    return QString::fromLatin1(Crypto::Sha256::toHex(*digest));
}

} // namespace Bench
