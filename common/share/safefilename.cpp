#include <share/safefilename.h>

#include <QDir>
#include <QFileInfo>
#include <QList>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace Share {

namespace {

constexpr qsizetype MaxExtensionChars = 16;
constexpr int MaxNumberedCandidates = 9999;
constexpr int MaxRandomCandidates = 64;

[[nodiscard]] bool isDroppedCodePoint(char32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) // C0, DEL, C1 controls
        return true;
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) // bidi embeddings
        return true;
    if (c == 0x200E || c == 0x200F || c == 0x061C) // bidi marks: "gpj.exe" tricks
        return true;
    if (c == 0x200B || c == 0xFEFF || c == 0x2028 || c == 0x2029) // invisible, line breaks
        return true;
    if ((c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF || c == 0xFFFD)
        return true; // lone surrogates, non-characters, decoding debris
    return false;
}

[[nodiscard]] bool isWindowsForbidden(char32_t c)
{
    return c == U'<' || c == U'>' || c == U':' || c == U'"' || c == U'|' || c == U'?' || c == U'*';
}

[[nodiscard]] QString lastComponent(const QString &name)
{
    QString unified = name;
    unified.replace(u'\\', u'/');
    const QStringList parts = unified.split(u'/', Qt::SkipEmptyParts);
    return parts.isEmpty() ? QString() : parts.last();
}

[[nodiscard]] QString filterCharacters(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (const char32_t c : name.toUcs4()) {
        if (isDroppedCodePoint(c))
            continue;
        if (isWindowsForbidden(c))
            out.append(u'_');
        else
            out.append(QStringView(QChar::fromUcs4(c)));
    }
    return out;
}

[[nodiscard]] QString trimEnds(const QString &name)
{
    qsizetype begin = 0;
    qsizetype end = name.size();
    while (begin < end && (name.at(begin) == u'.' || name.at(begin).isSpace()))
        ++begin;
    while (end > begin && (name.at(end - 1) == u'.' || name.at(end - 1).isSpace()))
        --end;
    return name.mid(begin, end - begin);
}

// Longest prefix of `text` (whole code points) whose UTF-8 form fits in `maxBytes`.
[[nodiscard]] QString utf8Prefix(const QString &text, qsizetype maxBytes)
{
    QString out;
    qsizetype bytes = 0;
    for (const char32_t c : text.toUcs4()) {
        const qsizetype n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (bytes + n > maxBytes)
            break;
        bytes += n;
        out.append(QStringView(QChar::fromUcs4(c)));
    }
    return out;
}

[[nodiscard]] QString limitLength(const QString &name, qsizetype maxBytes)
{
    if (name.toUtf8().size() <= maxBytes)
        return name;
    const auto [stem, ext] = splitExtension(name);
    const qsizetype extBytes = ext.toUtf8().size();
    if (!ext.isEmpty() && extBytes < maxBytes / 2)
        return trimEnds(utf8Prefix(stem, maxBytes - extBytes)) + ext;
    return trimEnds(utf8Prefix(name, maxBytes));
}

[[nodiscard]] bool taken(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() || info.isSymLink(); // exists() is false for a dangling symlink
}

} // namespace

bool isReservedDeviceName(QStringView name)
{
    // Windows ignores everything from the first dot and trailing spaces before it.
    const QString base = name.left(name.indexOf(u'.')).toString().trimmed().toUpper();
    static const QStringList plain {u"CON"_s, u"PRN"_s,    u"AUX"_s,
                                    u"NUL"_s, u"CONIN$"_s, u"CONOUT$"_s};
    if (plain.contains(base))
        return true;
    if (base.size() != 4 || !(base.startsWith("COM"_L1) || base.startsWith("LPT"_L1)))
        return false;
    const QChar digit = base.at(3);
    return (digit >= u'0' && digit <= u'9') || digit == u'\u00B9' || digit == u'\u00B2'
            || digit == u'\u00B3';
}

std::pair<QString, QString> splitExtension(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(u'.');
    if (dot <= 0 || name.size() - dot > MaxExtensionChars || dot == name.size() - 1)
        return {name, QString()};
    QString stem = name.left(dot);
    QString ext = name.mid(dot);
    // Keep double extensions of compressed tarballs together: "a (1).tar.gz", not "a.tar (1).gz".
    if (stem.endsWith(".tar"_L1, Qt::CaseInsensitive) && stem.size() > 4) {
        ext.prepend(stem.right(4));
        stem.chop(4);
    }
    return {stem, ext};
}

QString sanitizeFileName(QStringView name, qsizetype maxUtf8Bytes)
{
    const qsizetype maxBytes = std::max<qsizetype>(maxUtf8Bytes, 16);
    const QString normalized = name.toString().normalized(QString::NormalizationForm_C);
    QString out = trimEnds(filterCharacters(lastComponent(normalized)));
    if (isReservedDeviceName(out))
        out.prepend(u'_');
    out = limitLength(out, maxBytes);
    if (isReservedDeviceName(out)) // a cut can only shorten; the '_' prefix survives it
        out = limitLength(u'_' + out, maxBytes);
    return out.isEmpty() ? u"download"_s : out;
}

QString uniqueTargetPath(const QString &dir, QStringView name)
{
    const QString safe = sanitizeFileName(name);
    const QDir folder(dir);
    const auto [stem, ext] = splitExtension(safe);
    for (int n = 0; n <= MaxNumberedCandidates; ++n) {
        const QString candidate = n == 0 ? safe : stem + " ("_L1 + QString::number(n) + u')' + ext;
        const QString path = folder.filePath(candidate);
        if (!taken(path) && !taken(path + ".part"_L1))
            return path;
    }
    // Ten thousand copies of one name: fall back to a random tag rather than fail.
    for (int attempt = 0; attempt < MaxRandomCandidates; ++attempt) {
        const QString tag = QString::number(QRandomGenerator::global()->generate64(), 36);
        const QString path = folder.filePath(stem + " ("_L1 + tag + u')' + ext);
        if (!taken(path) && !taken(path + ".part"_L1))
            return path;
    }
    return QString();
}

} // namespace Share
