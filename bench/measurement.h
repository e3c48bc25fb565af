#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace Bench {

// What one transfer (UDP transport or TCP baseline) measured. Goodput counts file bytes that
// arrived verified, divided by the wall-clock time from the request to the verified file.
struct Measurement
{
    bool verified = false;
    std::int64_t bytes = 0;
    double seconds = 0;
    std::uint64_t datagramsSent = 0;
    std::uint64_t retransmissions = 0; // datagrams carrying data that was sent before
    std::uint64_t spuriousRetransmissions = 0; // resent although the first copy arrived
    std::uint64_t lost = 0; // datagrams the sender declared lost
    double cpuSenderSeconds = 0;
    double cpuReceiverSeconds = 0;
    QString sha256;
    QString error;

    [[nodiscard]] double goodputMBps() const
    {
        return seconds > 0 ? double(bytes) / seconds / 1e6 : 0.0;
    }
    [[nodiscard]] double retransmissionRatio() const
    {
        return datagramsSent > 0 ? double(retransmissions) / double(datagramsSent) : 0.0;
    }
    [[nodiscard]] QJsonObject toJson() const;
};

} // namespace Bench
