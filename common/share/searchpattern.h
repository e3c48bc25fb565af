#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace Share {

// A search as typed by a person or received in a `find` request: whitespace-separated terms,
// all of which must match. A term with '*' or '?' is a glob matched against the whole file name
// or the whole relative path; any other term is a substring of the relative path. Matching is
// case-insensitive (Unicode case folding). Oversized patterns are invalid rather than truncated
// so a peer cannot make the server-side cost grow with its input.
class SearchPattern
{
public:
    static constexpr qsizetype MaxLength = 256;
    static constexpr qsizetype MaxTerms = 8;

    explicit SearchPattern(QStringView pattern);

    // Empty, blank or oversized patterns are invalid and match nothing; "*" matches everything.
    [[nodiscard]] bool isValid() const { return m_matchAll || !m_terms.isEmpty(); }
    // Both arguments must already be case-folded (QString::toCaseFolded()).
    [[nodiscard]] bool matches(const QString &foldedName, const QString &foldedPath) const;

private:
    QStringList m_terms;
    bool m_matchAll = false;
};

// Anchored glob match: '*' any run of characters (also '/'), '?' exactly one character.
// Works on code points, so '?' matches one emoji. Runs in O(pattern * text).
[[nodiscard]] bool globMatch(QStringView pattern, QStringView text);

} // namespace Share
