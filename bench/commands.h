#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace Bench {

// A subcommand receives argv without the subcommand word and returns the exit code.
using Command = std::function<int(const QStringList &args)>;

[[nodiscard]] Command findCommand(const QString &name);
[[nodiscard]] QString usage();

} // namespace Bench
