// What /proc and getrusage say about processes, for benchmarks and memory tests: CPU time and
// resident memory of a process, the host's CPU time and steal, and the open-file limit.
#pragma once

#include <QtGlobal>

namespace GroupLoop::Testing {

// CPU time of a process in seconds, from /proc/<pid>/stat; negative when unreadable.
struct CpuTimes
{
    double user = -1.0;
    double system = -1.0;
    double total() const { return user + system; }
    bool valid() const { return user >= 0.0; }
};
CpuTimes processCpuTimes(qint64 pid);
// VmRSS of a process in KiB, from /proc/<pid>/status; -1 when unreadable.
qint64 processRssKiB(qint64 pid);
// The machine's CPU time so far, from the first line of /proc/stat, in clock ticks: all of it,
// and what the hypervisor gave to other guests while this one wanted to run (steal). A run with
// much steal measures a crowded host, not the relay. total is 0 when unreadable.
struct HostCpuTicks
{
    quint64 steal = 0;
    quint64 total = 0;
};
HostCpuTicks hostCpuTicks();
// CPU seconds (user + system) this process has used so far.
double selfCpuSeconds();
// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
qint64 raiseFileLimit();

} // namespace GroupLoop::Testing
