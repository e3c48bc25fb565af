#include <client-gui/translations.h>

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace Gui {

namespace {
// qt_add_translations embeds the .qm files under this resource prefix.
const auto kCatalogueDir = u":/i18n"_s;
} // namespace

QStringList availableLanguages()
{
    QStringList out;
    const QStringList files = QDir(kCatalogueDir).entryList({u"hopshare_*.qm"_s}, QDir::Files);
    for (const QString &f : files)
        out << f.mid(9, f.size() - 9 - 3);
    return out;
}

bool installTranslations(QCoreApplication *app, const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto *qt = new QTranslator(app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    auto *own = new QTranslator(app);
    if (own->load(locale, u"hopshare"_s, u"_"_s, kCatalogueDir)) {
        QCoreApplication::installTranslator(own);
        return true;
    }
    delete own;
    return locale.language() == QLocale::English || locale.language() == QLocale::C;
}

} // namespace Gui
