#pragma once

// Time types of the transport's algorithms. Every algorithm takes the current time as a `now`
// argument instead of reading a clock, so tests drive them on an injected timeline and the
// engine reads the clock once per wake-up.

#include <chrono>

namespace Transfer {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

} // namespace Transfer
