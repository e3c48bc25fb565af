#include <share/searchpattern.h>

#include <QList>

namespace Share {

namespace {

[[nodiscard]] bool isGlob(const QString &term)
{
    return term.contains(u'*') || term.contains(u'?');
}

} // namespace

SearchPattern::SearchPattern(QStringView pattern)
{
    if (pattern.size() > MaxLength)
        return;
    const QStringList terms
            = pattern.toString().toCaseFolded().simplified().split(u' ', Qt::SkipEmptyParts);
    if (terms.size() > MaxTerms)
        return;
    for (const QString &term : terms) {
        // A term of nothing but stars matches everything: it adds no constraint.
        if (term.count(u'*') == term.size())
            m_matchAll = true;
        else
            m_terms.append(term);
    }
    m_matchAll = m_matchAll && m_terms.isEmpty();
}

bool SearchPattern::matches(const QString &foldedName, const QString &foldedPath) const
{
    if (m_matchAll)
        return true;
    if (m_terms.isEmpty())
        return false;
    for (const QString &term : m_terms) {
        const bool ok = isGlob(term) ? globMatch(term, foldedName) || globMatch(term, foldedPath)
                                     : foldedPath.contains(term);
        if (!ok)
            return false;
    }
    return true;
}

bool globMatch(QStringView pattern, QStringView text)
{
    const QList<uint> p = pattern.toUcs4();
    const QList<uint> t = text.toUcs4();
    qsizetype pi = 0;
    qsizetype ti = 0;
    qsizetype starP = -1; // position after the last '*' seen
    qsizetype starT = 0; // text position that '*' is currently stretched to
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == u'?' || p[pi] == t[ti])) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == u'*') {
            starP = ++pi;
            starT = ti;
        } else if (starP >= 0) {
            pi = starP;
            ti = ++starT;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == u'*')
        ++pi;
    return pi == p.size();
}

} // namespace Share
