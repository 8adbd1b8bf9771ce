// Benchmark: grouploop-sim with 2,000 devices at 50 Hz, each on its own socket, against the
// grouploop-relay binary in its own process. Reports the simulator's CPU use (user + sys,
// from /proc over the steady-state window, cross-checked with getrusage after it exits) and
// the frames per second it actually sent, and checks the relay received every frame.
// Environment: GROUPLOOP_BENCH_DEVICES, _HZ, _SECONDS, _GATEWAY override the defaults,
// GROUPLOOP_BENCH_NAGLE=1 runs the simulator with --nagle, GROUPLOOP_BENCH_RELAY picks another
// grouploop-relay binary;
// GROUPLOOP_BENCH_ENFORCE=1 also fails the run when the target (>= 95 % of the rate,
// under one core) is missed, which a shared, busy machine can cause.
#include "processstats.h"
#include "programs.h"
#include "relayprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <cstdio>
#include <sys/resource.h>

using namespace GroupLoop::Testing;

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

// utime + stime of a live process, in seconds.
double cpuSeconds(qint64 pid)
{
    return processCpuTimes(pid).total();
}

double childrenCpuSeconds()
{
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec
        + usage.ru_stime.tv_usec / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int devices = envInt("GROUPLOOP_BENCH_DEVICES", 2000);
    const int hz = envInt("GROUPLOOP_BENCH_HZ", 50);
    const int seconds = envInt("GROUPLOOP_BENCH_SECONDS", 20);
    const int gateway = envInt("GROUPLOOP_BENCH_GATEWAY", 1);
    const bool enforce = qEnvironmentVariableIntValue("GROUPLOOP_BENCH_ENFORCE") == 1;
    const bool nagle = qEnvironmentVariableIntValue("GROUPLOOP_BENCH_NAGLE") == 1;
    const int warmup = 5; // connect ramp and settling, excluded from the steady-state figures

    RelayProcess relay;
    RelayProcess::Options relayOptions;
    relayOptions.binary = qEnvironmentVariable("GROUPLOOP_BENCH_RELAY"); // empty: this build's
    relayOptions.arguments = {QStringLiteral("--log-level"), QStringLiteral("warning")};
    QString error;
    if (!relay.start(relayOptions, &error)) {
        std::fprintf(stderr, "bench: relay did not start: %s\n", qPrintable(error));
        return 1;
    }

    QStringList args {QStringLiteral("--url"),     relay.url().toString(),   QStringLiteral("--devices"),
                      QString::number(devices),    QStringLiteral("--hz"),   QString::number(hz),
                      QStringLiteral("--gateway"), QString::number(gateway), QStringLiteral("--seconds"),
                      QString::number(seconds),    QStringLiteral("--seed"), QStringLiteral("1")};
    if (nagle)
        args << QStringLiteral("--nagle");
    std::printf("bench: grouploop-sim %s\n", qPrintable(args.join(QLatin1Char(' '))));
    QProcess sim;
    sim.start(simBinary(), args);
    if (!sim.waitForStarted()) {
        std::fprintf(stderr, "bench: grouploop-sim did not start\n");
        return 1;
    }
    const double childrenBefore = childrenCpuSeconds();
    QElapsedTimer clock;
    clock.start();
    QTest::qWait(warmup * 1000);
    const double simCpuStart = cpuSeconds(sim.processId());
    const double relayCpuStart = cpuSeconds(relay.pid());
    const qint64 windowStart = clock.elapsed();
    const auto framesInStart = relay.health().value(QStringLiteral("frames_in")).toDouble();
    QTest::qWait((seconds - warmup - 1) * 1000);
    const double simCpuEnd = cpuSeconds(sim.processId());
    const double relayCpuEnd = cpuSeconds(relay.pid());
    const auto framesInEnd = relay.health().value(QStringLiteral("frames_in")).toDouble();
    const double window = (clock.elapsed() - windowStart) / 1000.0;

    if (!waitForExit(sim, 30000))
        std::fprintf(stderr, "bench: grouploop-sim did not finish in 30 s\n");
    const double simTotalCpu = childrenCpuSeconds() - childrenBefore; // reaped: sim only
    const QString out = QString::fromLocal8Bit(sim.readAllStandardOutput());
    const QJsonObject finalHealth = relay.health();
    relay.stop();

    const auto sent
        = QRegularExpression(QStringLiteral("frames sent (\\d+)")).match(out).captured(1).toDouble();
    const double received = finalHealth.value(QStringLiteral("frames_in")).toDouble();
    const double target = double(devices) * hz;
    const double steadyRate = (framesInEnd - framesInStart) / window;
    const double simCore = (simCpuEnd - simCpuStart) / window;
    const double relayCore = (relayCpuEnd - relayCpuStart) / window;
    double load[3] = {};
    getloadavg(load, 3);

    std::printf("bench: steady window %.1f s (after %d s warm-up), machine load %.2f\n", window, warmup,
                load[0]);
    std::printf("bench: frames/s sent   %9.0f  (target %.0f, %.1f %%)\n", steadyRate, target,
                100.0 * steadyRate / target);
    std::printf("bench: sim CPU         %9.1f %% of one core (user+sys), %.2f us per frame\n",
                100.0 * simCore, steadyRate > 0 ? simCore * 1e6 / steadyRate : 0.0);
    std::printf("bench: relay CPU       %9.1f %% of one core\n", 100.0 * relayCore);
    std::printf("bench: whole run       sent %.0f, relay received %.0f, sim CPU %.2f s (getrusage)\n", sent,
                received, simTotalCpu);
    std::printf("bench: sim said        %s\n",
                qPrintable(out.trimmed().split(QLatin1Char('\n')).constLast()));

    if (sim.exitStatus() != QProcess::NormalExit || sim.exitCode() != 0) {
        std::fprintf(stderr, "bench: FAIL: grouploop-sim exited with %d\n%s\n", sim.exitCode(),
                     sim.readAllStandardError().constData());
        return 1;
    }
    if (sent <= 0 || received != sent) {
        std::fprintf(stderr, "bench: FAIL: relay received %.0f of %.0f frames sent\n", received, sent);
        return 1;
    }
    const bool metTarget = steadyRate >= 0.95 * target && simCore < 1.0;
    std::printf("bench: %s (>= 95 %% of the rate and under one core)\n",
                metTarget ? "target met" : "target MISSED");
    return enforce && !metTarget ? 1 : 0;
}
