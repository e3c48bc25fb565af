#include <protocol/errorcode.h>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Protocol {

namespace {
constexpr std::array kNames = {
        std::pair {ErrorCode::BadFrame, u"bad-frame"},
        std::pair {ErrorCode::FrameTooLarge, u"frame-too-large"},
        std::pair {ErrorCode::UnknownType, u"unknown-type"},
        std::pair {ErrorCode::BadField, u"bad-field"},
        std::pair {ErrorCode::WrongState, u"wrong-state"},
        std::pair {ErrorCode::BadNick, u"bad-nick"},
        std::pair {ErrorCode::BadRoom, u"bad-room"},
        std::pair {ErrorCode::NickTaken, u"nick-taken"},
        std::pair {ErrorCode::NotInRoom, u"not-in-room"},
        std::pair {ErrorCode::AlreadyInRoom, u"already-in-room"},
        std::pair {ErrorCode::TooManyRooms, u"too-many-rooms"},
        std::pair {ErrorCode::NoSuchMember, u"no-such-member"},
        std::pair {ErrorCode::TextTooLong, u"text-too-long"},
        std::pair {ErrorCode::RateLimited, u"rate-limited"},
        std::pair {ErrorCode::ServerFull, u"server-full"},
        std::pair {ErrorCode::ShuttingDown, u"shutting-down"},
        std::pair {ErrorCode::TooManyErrors, u"too-many-errors"},
        std::pair {ErrorCode::NoSuchServer, u"no-such-server"},
        std::pair {ErrorCode::RelayUnavailable, u"relay-unavailable"},
        std::pair {ErrorCode::SendQueueFull, u"send-queue-full"},
        std::pair {ErrorCode::HelloTimeout, u"hello-timeout"},
        std::pair {ErrorCode::TooManyConnections, u"too-many-connections"},
        std::pair {ErrorCode::BadIdentity, u"bad-identity"},
        std::pair {ErrorCode::RoomLocked, u"room-locked"},
        std::pair {ErrorCode::OldVersion, u"old-version"},
};
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[c, name] : kNames) {
        if (c == code)
            return QString::fromUtf16(name);
    }
    return u"unknown"_s;
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const auto &[c, n] : kNames) {
        if (name == QStringView(n))
            return c;
    }
    return std::nullopt;
}

} // namespace Protocol
