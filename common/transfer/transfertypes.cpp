#include "transfertypes.h"

using namespace Qt::StringLiterals;

namespace Transfer {

QString transferErrorName(TransferError error)
{
    switch (error) {
    case TransferError::None:
        return u"none"_s;
    case TransferError::Busy:
        return u"busy"_s;
    case TransferError::Refused:
        return u"refused"_s;
    case TransferError::Unreachable:
        return u"unreachable"_s;
    case TransferError::PeerGone:
        return u"peer gone"_s;
    case TransferError::Verification:
        return u"verification failed"_s;
    case TransferError::Disk:
        return u"disk"_s;
    case TransferError::Cancelled:
        return u"cancelled"_s;
    case TransferError::Content:
        return u"content not offered"_s;
    }
    return u"unknown"_s;
}

void registerTransferMetaTypes()
{
    qRegisterMetaType<TransferStats>();
    qRegisterMetaType<TransferResult>();
    qRegisterMetaType<TransferError>();
    qRegisterMetaType<FileOffer>();
    qRegisterMetaType<DownloadRequest>();
    qRegisterMetaType<EndpointCounters>();
}

} // namespace Transfer
