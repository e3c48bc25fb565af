#pragma once

#include <QHostAddress>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>

namespace Bench {

struct Endpoint
{
    QHostAddress address;
    quint16 port = 0;
};

// "127.0.0.1:9000", "[::1]:9000"; nullopt with *error set when malformed.
[[nodiscard]] std::optional<Endpoint> parseEndpoint(const QString &text, QString *error);
// "16MiB", "8MB", "1048576"; the units of the impairment spec's queue size.
[[nodiscard]] std::optional<std::int64_t> parseSize(const QString &text, QString *error);
// One compact JSON object and a newline on stdout, flushed: the line scripts read.
void printJsonLine(const QJsonObject &object);

} // namespace Bench
