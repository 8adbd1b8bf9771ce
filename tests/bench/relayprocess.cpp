#include "relayprocess.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>

#include <csignal>
#include <sys/resource.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif
#include <unistd.h>

namespace GroupLoop::Bench {

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

void sleepMs(int ms)
{
    waitUntil([] { return false; }, ms);
}

RelayProcess::~RelayProcess()
{
    stop();
}

bool RelayProcess::start(const QString &binary, const QStringList &extraArgs, const QString &logFile,
                         QString *error)
{
    quint16 port = 0;
    {
        QTcpServer probe; // a free port; the small race with other processes is acceptable here
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("no free port: ") + probe.errorString();
            return false;
        }
        port = probe.serverPort();
    }
    QStringList args {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                      QString::number(port)};
    args += extraArgs;
    const QString log = logFile.isEmpty() ? QProcess::nullDevice() : logFile;
    m_process.setStandardOutputFile(log, QIODevice::Append);
    m_process.setStandardErrorFile(log, QIODevice::Append);
#ifdef Q_OS_LINUX
    // The relay goes when the bench goes, even when the bench is killed.
    m_process.setChildProcessModifier([] { prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.start(binary, args);
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    m_pid = m_process.processId();
    const bool up = waitUntil(
        [&] {
            if (m_process.state() != QProcess::Running)
                return true;
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            return socket.waitForConnected(100);
        },
        10000);
    if (!up || m_process.state() != QProcess::Running) {
        *error = QStringLiteral("%1 did not come up on port %2 (exit code %3)")
                     .arg(binary)
                     .arg(port)
                     .arg(m_process.exitCode());
        return false;
    }
    m_url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    return true;
}

void RelayProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

} // namespace GroupLoop::Bench
