#pragma once

#include <QFont>
#include <QStyledItemDelegate>

namespace Gui {

// Draws one line of a room: "12:34  alice  text" with the sender in a colour derived from the
// nick, system lines in grey italics, mentions of me on a highlighted background, and shared
// files as a link-styled row ("⬇ name (size)") that starts a download when activated.
// Rows wrap to the view's width; the height is computed from the font alone, so laying out
// 100,000 rows needs no widget per row.
class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const override;

    // The text drawn after the time and sender columns.
    [[nodiscard]] static QString bodyText(const QModelIndex &index);
    [[nodiscard]] static QColor nickColor(const QString &nick);

private:
    struct Layout
    {
        QRect time;
        QRect sender;
        QRect body;
    };
    [[nodiscard]] Layout layout(const QStyleOptionViewItem &option, const QRect &rect) const;

    mutable QFont m_measuredFont;
    mutable int m_timeWidth = 0;
    mutable int m_senderWidth = 0;
    mutable int m_lineHeight = 0;
    mutable int m_maxCharWidth = 0;
};

} // namespace Gui
