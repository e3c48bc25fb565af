#include <bench/measurement.h>

namespace Bench {

QJsonObject Measurement::toJson() const
{
    QJsonObject o;
    o.insert(QLatin1StringView("verified"), verified);
    o.insert(QLatin1StringView("bytes"), qint64(bytes));
    o.insert(QLatin1StringView("seconds"), seconds);
    o.insert(QLatin1StringView("goodput_MBps"), goodputMBps());
    o.insert(QLatin1StringView("datagrams_sent"), qint64(datagramsSent));
    o.insert(QLatin1StringView("retransmissions"), qint64(retransmissions));
    o.insert(QLatin1StringView("retransmission_ratio"), retransmissionRatio());
    o.insert(QLatin1StringView("spurious_retransmissions"), qint64(spuriousRetransmissions));
    o.insert(QLatin1StringView("lost"), qint64(lost));
    o.insert(QLatin1StringView("cpu_sender_s"), cpuSenderSeconds);
    o.insert(QLatin1StringView("cpu_receiver_s"), cpuReceiverSeconds);
    if (!sha256.isEmpty())
        o.insert(QLatin1StringView("sha256"), sha256);
    if (!error.isEmpty())
        o.insert(QLatin1StringView("error"), error);
    return o;
}

} // namespace Bench
