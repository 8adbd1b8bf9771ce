// Small helpers shared by the console benchmarks: settings from the environment, percentiles,
// and CPU clocks for the process and the calling thread.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QtGlobal>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <vector>

namespace GroupLoop::Bench {

inline int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

inline double processCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

inline double threadCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Starts console-feeder hosting a relay on `port` with `devices` at `hz` for `seconds` (taps at
// 0.2 per device and second); false if it did not report its relay within 10 s. *out keeps
// what it printed (its SENT and RELAY_IN lines come at the end).
inline bool startFeederRelay(QProcess &feeder, const QString &binary, quint16 port, int devices, int hz,
                             int seconds, QByteArray *out)
{
    feeder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    feeder.start(binary,
                 {QStringLiteral("--host-relay"), QString::number(port), QStringLiteral("--devices"),
                  QString::number(devices), QStringLiteral("--hz"), QString::number(hz),
                  QStringLiteral("--seconds"), QString::number(seconds), QStringLiteral("--taps"),
                  QStringLiteral("0.2")});
    QElapsedTimer wait;
    wait.start();
    while (!out->contains("RELAY ") && wait.elapsed() < 10000) {
        feeder.waitForReadyRead(200);
        *out += feeder.readAllStandardOutput();
    }
    return out->contains("RELAY ");
}

} // namespace GroupLoop::Bench
