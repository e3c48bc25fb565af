#include <transfer/connection/tokenregistry.h>

#include <transfer/connection/handshakecrypto.h>

#include <cstring>

namespace Transfer {

QByteArray TokenRegistry::key(const TokenBytes &token)
{
    return QByteArray(reinterpret_cast<const char *>(token.data()), qsizetype(token.size()));
}

void TokenRegistry::add(const TokenBytes &token, const FileOffer &offer, TimePoint expiry)
{
    const QByteArray k = key(token);
    m_used.remove(k);
    m_tokens.insert(k, Entry {offer, expiry});
    m_byId.insert(toByteArray(tokenIdOf(token)), token);
}

std::optional<TokenBytes> TokenRegistry::tokenFor(const TokenId &id) const
{
    const auto it = m_byId.constFind(toByteArray(id));
    if (it == m_byId.cend())
        return std::nullopt;
    return *it;
}

const FileOffer *TokenRegistry::peek(const TokenBytes &token, TimePoint now) const
{
    if (check(token, now) != Check::Valid)
        return nullptr;
    return &m_tokens.constFind(key(token))->offer;
}

TokenRegistry::Check TokenRegistry::check(const TokenBytes &token, TimePoint now) const
{
    const QByteArray k = key(token);
    if (m_used.contains(k))
        return Check::Used;
    const auto it = m_tokens.constFind(k);
    if (it == m_tokens.cend())
        return Check::Unknown;
    return now > it->expiry ? Check::Expired : Check::Valid;
}

std::optional<FileOffer> TokenRegistry::take(const TokenBytes &token, TimePoint now)
{
    if (check(token, now) != Check::Valid)
        return std::nullopt;
    const QByteArray k = key(token);
    const Entry entry = m_tokens.take(k);
    m_used.insert(k, entry.expiry);
    return entry.offer;
}

void TokenRegistry::purgeExpired(TimePoint now)
{
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (now > it->expiry) {
            TokenBytes token {};
            std::memcpy(token.data(), it.key().constData(), token.size());
            m_byId.remove(toByteArray(tokenIdOf(token)));
            it = m_tokens.erase(it);
        } else
            ++it;
    }
    for (auto it = m_used.begin(); it != m_used.end();) {
        if (now > it.value()) {
            TokenBytes token {};
            std::memcpy(token.data(), it.key().constData(), token.size());
            m_byId.remove(toByteArray(tokenIdOf(token)));
            it = m_used.erase(it);
        } else
            ++it;
    }
}

} // namespace Transfer
