#pragma once

#include <QString>

class QCoreApplication;

namespace Gui {

// Installs the application's catalogue (and Qt's own) for `language` ("de", "en"; empty = the
// system locale) on `app`; the translators become children of `app`. Returns whether the
// Hopshare catalogue was found; English needs none, so "en" returns true without one.
bool installTranslations(QCoreApplication *app, const QString &language);

// The catalogues built into the program, as locale names ("de", "en").
[[nodiscard]] QStringList availableLanguages();

} // namespace Gui
