#include <client/terminaltext.h>

#include <QChar>

using namespace Qt::StringLiterals;

namespace Client {

namespace {
bool needsEscape(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate: // an unpaired half, not a character
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString escaped(char32_t c)
{
    switch (c) {
    case U'\n':
        return u"\\n"_s;
    case U'\r':
        return u"\\r"_s;
    case U'\t':
        return u"\\t"_s;
    default:
        break;
    }
    if (c < 0x100)
        return u"\\x%1"_s.arg(qulonglong(c), 2, 16, QChar(u'0'));
    if (c < 0x10000)
        return u"\\u%1"_s.arg(qulonglong(c), 4, 16, QChar(u'0'));
    return u"\\U%1"_s.arg(qulonglong(c), 8, 16, QChar(u'0'));
}
} // namespace

QString escapeForTerminal(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        // A surrogate pair is one character; an unpaired half stays a surrogate, and is escaped.
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        if (needsEscape(c))
            out += escaped(c);
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}

} // namespace Client
