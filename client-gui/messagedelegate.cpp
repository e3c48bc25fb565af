#include <client-gui/messagedelegate.h>

#include <client/messagelistmodel.h>

#include <QAbstractItemView>
#include <QDateTime>
#include <QLocale>
#include <QPainter>

using namespace Qt::StringLiterals;
using Client::MessageListModel;

namespace Gui {

namespace {
constexpr int kPad = 4;
constexpr int kSenderChars = 12;
constexpr int kBodyFlags = Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop;

MessageListModel::Kind kindOf(const QModelIndex &index)
{
    return index.data(MessageListModel::KindRole).value<MessageListModel::Kind>();
}
} // namespace

MessageDelegate::MessageDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QString MessageDelegate::bodyText(const QModelIndex &index)
{
    using Kind = MessageListModel::Kind;
    const QString text = index.data(MessageListModel::TextRole).toString();
    switch (kindOf(index)) {
    case Kind::Share:
        return tr("⬇ shared %1 (%2) — double-click to download")
                .arg(text,
                     QLocale().formattedDataSize(
                             index.data(MessageListModel::FileSizeRole).toLongLong()));
    case Kind::Chat: {
        const QString to = index.data(MessageListModel::RecipientsRole).toString();
        QString line = text;
        if (index.data(MessageListModel::PrivateRole).toBool())
            line = to.isEmpty() ? tr("(private) %1").arg(text)
                                : tr("(private to %1) %2").arg(to, text);
        if (index.data(MessageListModel::PendingRole).toBool())
            return tr("%1  (pending: sent when reconnected)").arg(line);
        return line;
    }
    default:
        return text;
    }
}

QColor MessageDelegate::nickColor(const QString &nick)
{
    // The same hue for a nick in every client and every run (qHash is seeded per process and
    // differs between CPUs): FNV-1a over the nick as the server compares it, without case.
    // Fixed saturation and lightness keep every nick readable.
    quint32 h = 2166136261u;
    for (const char c : nick.toLower().toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    const uint hue = h % 360;
    return QColor::fromHsl(int(hue), 150, 90);
}

MessageDelegate::Layout MessageDelegate::layout(const QStyleOptionViewItem &option,
                                                const QRect &rect) const
{
    // Measured once per font: layout() runs for every row the view sizes.
    if (m_lineHeight == 0 || option.font != m_measuredFont) {
        const QFontMetrics fm(option.font);
        m_measuredFont = option.font;
        m_timeWidth = fm.horizontalAdvance(u"00:00:00"_s) + 2 * kPad;
        m_senderWidth = fm.averageCharWidth() * kSenderChars + kPad;
        m_lineHeight = fm.height();
        m_maxCharWidth = fm.maxWidth();
    }
    Layout l;
    l.time = QRect(rect.left() + kPad, rect.top() + kPad / 2, m_timeWidth, m_lineHeight);
    l.sender = QRect(l.time.right(), l.time.top(), m_senderWidth, m_lineHeight);
    const int bodyLeft = l.sender.right() + kPad;
    l.body = QRect(bodyLeft, l.time.top(), std::max(40, rect.right() - bodyLeft - kPad),
                   rect.height() - kPad);
    return l;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    int width = 600;
    if (const auto *view = qobject_cast<const QAbstractItemView *>(opt.widget))
        width = view->viewport()->width();
    const Layout l = layout(opt, QRect(0, 0, width, 1000));
    const QString body = bodyText(index);
    // Most lines are short: settle them without shaping any text. Only a line that may be
    // wider than the body column is measured, and only a line that is wider is wrapped.
    if (body.size() * m_maxCharWidth <= l.body.width())
        return {width, m_lineHeight + kPad};
    const QFontMetrics fm(opt.font);
    if (fm.horizontalAdvance(body) <= l.body.width())
        return {width, m_lineHeight + kPad};
    const QRect text = fm.boundingRect(QRect(0, 0, l.body.width(), 100000), kBodyFlags, body);
    return {width, std::max(m_lineHeight, text.height()) + kPad};
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    using Kind = MessageListModel::Kind;
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    painter->save();
    const Kind kind = kindOf(index);
    const bool mention = index.data(MessageListModel::MentionRole).toBool();
    const QPalette &pal = opt.palette;
    if (opt.state & QStyle::State_Selected)
        painter->fillRect(opt.rect, pal.highlight().color().lighter(160));
    else if (mention)
        painter->fillRect(opt.rect, QColor(255, 236, 179));
    else if (kind == Kind::Share)
        painter->fillRect(opt.rect, QColor(227, 242, 253));

    const Layout l = layout(opt, opt.rect);
    QFont font = opt.font;
    painter->setFont(font);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    const QDateTime time = index.data(MessageListModel::TimeRole).toDateTime();
    painter->drawText(l.time, Qt::AlignLeft | Qt::AlignTop,
                      QLocale().toString(time.time(), u"HH:mm:ss"_s));

    const QString sender = index.data(MessageListModel::SenderRole).toString();
    if (!sender.isEmpty()) {
        QFont bold = font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(nickColor(sender));
        const QFontMetrics fm(bold);
        painter->drawText(l.sender, Qt::AlignRight | Qt::AlignTop,
                          fm.elidedText(sender, Qt::ElideRight, l.sender.width() - kPad));
    }

    QFont bodyFont = font;
    QColor color = pal.color(QPalette::Text);
    if (kind == Kind::Chat) {
        bodyFont.setBold(mention);
        if (index.data(MessageListModel::PendingRole).toBool()) {
            bodyFont.setItalic(true);
            color = pal.color(QPalette::PlaceholderText);
        }
    } else if (kind == Kind::Share) {
        bodyFont.setUnderline(true);
        color = pal.color(QPalette::Link);
    } else {
        bodyFont.setItalic(true);
        color = kind == Kind::Error ? QColor(176, 0, 32) : pal.color(QPalette::PlaceholderText);
        if (kind == Kind::Split)
            color = QColor(191, 108, 0);
    }
    painter->setFont(bodyFont);
    painter->setPen(color);
    painter->drawText(l.body, kBodyFlags, bodyText(index));
    painter->restore();
}

} // namespace Gui
