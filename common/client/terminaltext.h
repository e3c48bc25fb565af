#pragma once

#include <QString>
#include <QStringView>

namespace Client {

// Text from the network made safe to print on a terminal: control characters (C0, DEL, C1),
// format characters (bidi overrides such as U+202E, zero-width characters such as U+200B, the
// BOM) and line/paragraph separators are shown as escapes (\n, \r, \t, \x1b, \u202e,
// \U0001xxxx) so that a message can neither move the cursor, fake a line, nor reorder what
// follows it. Everything else, backslashes included, is kept as it is.
[[nodiscard]] QString escapeForTerminal(QStringView text);

} // namespace Client
