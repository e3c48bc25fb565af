#pragma once

// CPU time of the calling thread or of the whole process, in seconds. The benchmark reports CPU
// per side beside goodput because on a 2-core machine CPU, not the link, is usually the limit.

namespace Bench {

[[nodiscard]] double threadCpuSeconds();
[[nodiscard]] double processCpuSeconds();

} // namespace Bench
