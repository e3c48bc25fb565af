#pragma once

#include <QStyledItemDelegate>

namespace Gui {

// Draws a transfer's progress as a bar (ProgressRole 0..1) with "done of total" on it.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};

} // namespace Gui
