#include "processstats.h"

#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

namespace GroupLoop::Testing {

CpuTimes processCpuTimes(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray stat = file.readAll();
    // Field 2 (comm) may hold spaces; the fields after its closing ')' start at field 3.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return {};
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return {fields[11].toDouble() / ticks, fields[12].toDouble() / ticks}; // utime, stime
}

HostCpuTicks hostCpuTicks()
{
    QFile file(QStringLiteral("/proc/stat"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
    // already inside user and nice.
    const QList<QByteArray> fields = file.readLine().simplified().split(' ');
    if (fields.size() < 9 || fields[0] != "cpu")
        return {};
    HostCpuTicks ticks;
    for (int i = 1; i <= 8; ++i)
        ticks.total += fields[i].toULongLong();
    ticks.steal = fields[8].toULongLong();
    return ticks;
}

qint64 processRssKiB(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double selfCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

qint64 raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return qint64(limit.rlim_cur);
}

} // namespace GroupLoop::Testing
