#pragma once

#include <QString>
#include <QStringView>

#include <utility>

namespace Share {

// Longest saved name in UTF-8 bytes. Below the usual 255-byte file-system limit so that
// " (12)" and ".part" still fit.
inline constexpr qsizetype DefaultMaxFileNameBytes = 200;

// Turns a file name received from a peer into one that is safe to create inside the download
// folder: only the last path component survives ('/' and '\\' both count), control, bidi and
// invisible characters are dropped, characters Windows forbids become '_', leading dots and
// spaces and trailing dots and spaces go, Windows device names (CON, NUL, COM1, ...) get a
// '_' prefix, the UTF-8 length is capped on a character boundary keeping the extension, and an
// empty result becomes "download". The result never contains a path separator, is never "." or
// "..", and sanitizing it again changes nothing.
[[nodiscard]] QString sanitizeFileName(QStringView name,
                                       qsizetype maxUtf8Bytes = DefaultMaxFileNameBytes);

// True for CON, PRN, AUX, NUL, COM0-9, LPT0-9 (and their superscript-digit forms), in any case,
// with or without an extension: Windows opens the device instead of a file for all of them.
[[nodiscard]] bool isReservedDeviceName(QStringView name);

// Splits "photo.jpg" into {"photo", ".jpg"} and "data.tar.gz" into {"data", ".tar.gz"}. Names
// without a usable extension (none, a leading dot only, or longer than 16 chars) have ext "".
[[nodiscard]] std::pair<QString, QString> splitExtension(const QString &name);

// A path in `dir` for a sanitized `name` that names neither an existing entry (file, folder or
// dangling symlink) nor one whose "NAME.part" exists: "name.ext", then "name (1).ext",
// "name (2).ext", ... It only checks; the caller should still create the ".part" file with
// QIODevice::NewOnly so that two downloads racing for one name cannot both win. Empty only if
// no free name was found at all (ten thousand numbered and 64 random candidates taken).
[[nodiscard]] QString uniqueTargetPath(const QString &dir, QStringView name);

} // namespace Share
