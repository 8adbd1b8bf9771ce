// The relay under test: a grouploop-relay child process on a free loopback port (or a relay
// we attach to), and what /proc says about it: CPU time and resident memory.
#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace GroupLoop::Bench {

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
// Blocks in a nested event loop until pred() holds or timeoutMs passes; returns pred().
template<typename Pred> bool waitUntil(Pred pred, int timeoutMs);
void sleepMs(int ms);

class RelayProcess
{
public:
    ~RelayProcess();

    // Starts `binary --host 127.0.0.1 --port <free> extraArgs...` and waits until it accepts.
    bool start(const QString &binary, const QStringList &extraArgs, const QString &logFile, QString *error);
    void stop();

    QUrl url() const { return m_url; }
    qint64 pid() const { return m_pid; }

private:
    QProcess m_process;
    QUrl m_url;
    qint64 m_pid = 0;
};

} // namespace GroupLoop::Bench

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

template<typename Pred> bool GroupLoop::Bench::waitUntil(Pred pred, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!pred()) {
        if (elapsed.elapsed() >= timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}
