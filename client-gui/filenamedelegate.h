#pragma once

#include <QIcon>
#include <QStyledItemDelegate>

namespace Gui {

// The transfers table's file name with an arrow for its direction (down: a download, up: an
// upload), so that the Direction column may stay hidden in a narrow window.
class FileNameDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit FileNameDelegate(QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QIcon m_download;
    QIcon m_upload;
};

} // namespace Gui
