#include <client-gui/memberdelegate.h>

#include <client-gui/messagedelegate.h>

#include <client/memberlistmodel.h>

#include <QPainter>

using Client::MemberListModel;
using namespace Qt::StringLiterals;

namespace Gui {

namespace {
constexpr int kPad = 4;
constexpr int kDot = 8;
} // namespace

QSize MemberDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return {120, QFontMetrics(option.font).height() + 2 * kPad};
}

void MemberDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    painter->save();
    if (opt.state & QStyle::State_Selected)
        painter->fillRect(opt.rect, opt.palette.highlight().color().lighter(160));

    const auto presence
            = index.data(MemberListModel::PresenceRole).value<MemberListModel::Presence>();
    QColor dot(46, 160, 67);
    if (presence == MemberListModel::Presence::Away)
        dot = QColor(224, 160, 0);
    else if (presence == MemberListModel::Presence::Unreachable)
        dot = QColor(150, 150, 150);
    painter->setRenderHint(QPainter::Antialiasing);
    const bool keyChanged = index.data(MemberListModel::KeyChangedRole).toBool();
    if (keyChanged) // a warning band: this nick shows another key than the trusted one
        painter->fillRect(opt.rect, QColor(255, 205, 200));
    painter->setPen(Qt::NoPen);
    painter->setBrush(dot);
    QRect r = opt.rect.adjusted(kPad, 0, -kPad, 0);
    painter->drawEllipse(QRect(r.left(), r.center().y() - kDot / 2, kDot, kDot));
    if (keyChanged) {
        const QString mark = u"\u26a0"_s; // the warning sign, before the nick
        r.setLeft(r.left() + kDot + kPad);
        painter->setPen(QColor(190, 30, 30));
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, mark);
        r.setLeft(r.left() + QFontMetrics(opt.font).horizontalAdvance(mark));
    }

    const QString nick = index.data(MemberListModel::NickRole).toString();
    QFont font = opt.font;
    font.setBold(index.data(MemberListModel::OwnRole).toBool());
    painter->setFont(font);
    painter->setPen(MessageDelegate::nickColor(nick));
    QRect text = r.adjusted(kDot + kPad, 0, 0, 0);
    const QFontMetrics fm(font);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, nick);
    text.setLeft(text.left() + fm.horizontalAdvance(nick) + kPad);
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(QPalette::PlaceholderText));
    const QString server = index.data(MemberListModel::ServerRole).toString();
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(opt.font).elidedText(server, Qt::ElideRight, text.width()));
    painter->restore();
}

} // namespace Gui
