#pragma once
// Upload tokens: the uploader's owner (the chat layer, or the bench) issues one per permitted
// download. A token is single-use and expires; unknown, expired and reused tokens are refused.
#include <transfer/transfertypes.h>
#include <transfer/wire/packet.h>

#include <QHash>

#include <optional>

namespace Transfer {

class TokenRegistry
{
public:
    enum class Check : quint8 { Valid, Unknown, Expired, Used };

    void add(const TokenBytes &token, const FileOffer &offer, TimePoint expiry);
    // Validates without consuming.
    [[nodiscard]] Check check(const TokenBytes &token, TimePoint now) const;
    // The registered token a HELLO names by tokenIdOf() (used ones included), if any.
    [[nodiscard]] std::optional<TokenBytes> tokenFor(const TokenId &id) const;
    // The offer of a valid token, without consuming it (nullptr otherwise).
    [[nodiscard]] const FileOffer *peek(const TokenBytes &token, TimePoint now) const;
    // Consumes a valid token and returns its offer.
    [[nodiscard]] std::optional<FileOffer> take(const TokenBytes &token, TimePoint now);
    void purgeExpired(TimePoint now);
    [[nodiscard]] qsizetype size() const { return m_tokens.size() + m_used.size(); }

private:
    struct Entry
    {
        FileOffer offer;
        TimePoint expiry;
    };
    [[nodiscard]] static QByteArray key(const TokenBytes &token);
    QHash<QByteArray, Entry> m_tokens;
    // Used tokens until their expiry (a reused one is told "used", not "unknown"); then they
    // are forgotten with their id, so a peer that downloads again and again grows nothing.
    QHash<QByteArray, TimePoint> m_used;
    QHash<QByteArray, TokenBytes> m_byId;
};

} // namespace Transfer
