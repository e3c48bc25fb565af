#include <bench/cputime.h>

#include <ctime>

namespace Bench {

namespace {

double clockSeconds(clockid_t clock)
{
    timespec ts {};
    if (clock_gettime(clock, &ts) != 0)
        return 0;
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

} // namespace

double threadCpuSeconds()
{
    return clockSeconds(CLOCK_THREAD_CPUTIME_ID);
}

double processCpuSeconds()
{
    return clockSeconds(CLOCK_PROCESS_CPUTIME_ID);
}

} // namespace Bench
