#include <client-gui/filenamedelegate.h>

#include <client/transferlistmodel.h>

using namespace Qt::StringLiterals;
using Client::TransferInfo;
using Client::TransferListModel;

namespace Gui {

FileNameDelegate::FileNameDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_download(u":/icons/download.svg"_s)
    , m_upload(u":/icons/upload.svg"_s)
{ }

void FileNameDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant direction = index.data(TransferListModel::DirectionRole);
    if (!direction.isValid())
        return;
    option->icon = direction.value<TransferInfo::Direction>() == TransferInfo::Direction::Download
            ? m_download
            : m_upload;
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->decorationSize = QSize(16, 16);
}

} // namespace Gui
