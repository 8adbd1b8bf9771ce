// Console benchmark: N devices at H Hz (default 2,000 at 50 Hz) through a relay into the
// console's relay client, device store and the full Main.qml window.
// Relay and devices run in a child process (console-feeder --host-relay) so the figures are
// the console's own. Reports frames sent/delivered/stored, GUI-thread refresh time per tick
// (store drain + table + field, i.e. the GUI-thread work per frame), frame intervals, and CPU.
// Fails if the store lost a frame the client parsed, or if the p99 tick takes 16 ms or more of
// GUI-thread CPU time (wall time is reported too; on a loaded machine it includes preemption).
// Environment: BENCH_DEVICES, BENCH_HZ, BENCH_SECONDS.
#include "consolecontext.h"
#include "devicestore.h"
#include "relayclient.h"
#include "relayconnection.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <time.h>

#include "benchsupport.h"
#include "network.h"

#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;
using namespace GroupLoop::Bench;

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    const int devices = envInt("BENCH_DEVICES", 2000);
    const int hz = envInt("BENCH_HZ", 50);
    const int seconds = envInt("BENCH_SECONDS", 10);
    const int warmupSeconds = 3;

    // Parsing capacity of the client on this machine: the worker thread's whole per-message
    // work (split, parse, hand to the store) on messages of 500 frames, in thread CPU time.
    double parseFramesPerCpuSecond = 0;
    {
        QString message;
        for (int i = 0; i < 500; ++i) {
            SensorFrame f;
            f.id = quint16(i);
            f.beacons = {100, 110, 120, 130};
            message += QString::fromLatin1(f.toHex()) + QLatin1Char('\n');
        }
        FrameIngest ingest;
        std::vector<TimedFrame> batch;
        const double start = threadCpuSeconds();
        const int messages = 2000;
        for (int m = 0; m < messages; ++m) {
            batch.clear();
            RelayConnection::parseFrames(message, m, batch);
            ingest.push(batch);
        }
        parseFramesPerCpuSecond = double(ingest.totalFrames()) / std::max(1e-9, threadCpuSeconds() - start);
    }

    const quint16 port = GroupLoop::Testing::freePort();

    QProcess feeder;
    QByteArray feederOut;
    if (!startFeederRelay(feeder, QStringLiteral(CONSOLE_FEEDER_BINARY), port, devices, hz,
                          seconds + warmupSeconds + 1, &feederOut)) {
        std::fprintf(stderr, "bench: console-feeder did not start a relay\n");
        return 1;
    }

    QTemporaryDir dir;
    ConsoleContext context(dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(&context);
    DeviceStore *store = context.store();
    QQmlApplicationEngine engine;
    ConsoleContext::loadMainWindow(engine);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        std::fprintf(stderr, "bench: the window did not load\n");
        return 1;
    }
    context.relay()->connectTo(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));

    bool measuring = false;
    std::vector<double> tickMs, fieldTickMs, tableTickMs, tickCpuMs, frameMs;
    QElapsedTimer frameClock;
    QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
        if (measuring && frameClock.isValid())
            frameMs.push_back(double(frameClock.nsecsElapsed()) / 1e6);
        frameClock.start();
    });
    // Tick durations are read after the store's tick returns (it times itself).
    QTimer sampler;
    sampler.setInterval(1);
    int lastTick = 0;
    QString view = QStringLiteral("field");
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        if (!measuring || store->tickCount() == lastTick)
            return;
        lastTick = store->tickCount();
        const double ms = double(store->lastTickDurationNs()) / 1e6;
        tickMs.push_back(ms);
        tickCpuMs.push_back(double(store->lastTickCpuNs()) / 1e6);
        (view == QLatin1String("field") ? fieldTickMs : tableTickMs).push_back(ms);
    });
    sampler.start();

    double cpu0 = 0, gui0 = 0;
    quint64 frames0 = 0;
    QElapsedTimer wall;
    QTimer::singleShot(warmupSeconds * 1000, &app, [&] {
        measuring = true;
        cpu0 = processCpuSeconds();
        gui0 = threadCpuSeconds();
        frames0 = store->totalFrames();
        wall.start();
        store->selectAll(); // selection rings on every dot: the heaviest field
    });
    QTimer::singleShot((warmupSeconds + seconds / 2) * 1000, &app, [&] {
        view = QStringLiteral("devices");
        QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, view));
    });
    double cpu = 0, gui = 0, elapsed = 0;
    quint64 storedDuring = 0;
    int devicesSeen = 0;
    QTimer::singleShot((warmupSeconds + seconds) * 1000, &app, [&] {
        measuring = false;
        elapsed = double(wall.nsecsElapsed()) / 1e9;
        cpu = processCpuSeconds() - cpu0;
        gui = threadCpuSeconds() - gui0;
        storedDuring = store->totalFrames() - frames0;
        devicesSeen = store->count();
    });
    QObject::connect(&feeder, &QProcess::finished, &app,
                     [&] { QTimer::singleShot(1500, &app, &QCoreApplication::quit); });
    app.exec();
    feederOut += feeder.readAllStandardOutput();
    store->tick(store->lastTickMs() + 1); // drain what is left

    quint64 sent = 0, relayOut = 0, coalesced = 0;
    for (const QByteArray &line : feederOut.split('\n')) {
        if (line.startsWith("SENT "))
            sent = line.mid(5).toULongLong();
        if (line.startsWith("RELAY_IN ")) {
            const QList<QByteArray> parts = line.split(' ');
            relayOut = parts.value(3).toULongLong();
            coalesced = parts.value(5).toULongLong();
        }
    }
    const quint64 parsed = store->ingest()->totalFrames();
    const quint64 stored = store->totalFrames();
    const double p99 = percentile(tickMs, 0.99);
    const double cpuP99 = percentile(tickCpuMs, 0.99);
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load
        = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().trimmed() : QByteArray("n/a");

    std::printf("bench_console: %d devices at %d Hz for %d s (after %d s warm-up)\n", devices, hz, seconds,
                warmupSeconds);
    std::printf("  devices in store: %d\n", devicesSeen);
    std::printf(
        "  frames: sent %llu, relay delivered %llu (coalesced %llu), client parsed %llu, stored %llu, "
        "store lost %lld\n",
        (unsigned long long)sent, (unsigned long long)relayOut, (unsigned long long)coalesced,
        (unsigned long long)parsed, (unsigned long long)stored, (long long)(parsed - stored));
    std::printf("  store rate during measurement: %.0f frames/s\n",
                double(storedDuring) / std::max(elapsed, 1e-9));
    std::printf(
        "  GUI-thread refresh tick (ms): all p50 %.2f p99 %.2f max %.2f (n=%zu); field view p99 %.2f; "
        "devices table p99 %.2f\n",
        percentile(tickMs, 0.5), p99, percentile(tickMs, 1.0), tickMs.size(), percentile(fieldTickMs, 0.99),
        percentile(tableTickMs, 0.99));
    std::printf("  GUI-thread refresh tick, thread CPU time (ms): p50 %.2f p99 %.2f max %.2f\n",
                percentile(tickCpuMs, 0.5), cpuP99, percentile(tickCpuMs, 1.0));
    std::printf("  machine load average at the end: %s (%d CPUs)\n", load.constData(),
                QThread::idealThreadCount());
    std::printf("  frame interval (ms): p50 %.1f p99 %.1f (n=%zu, platform %s)\n", percentile(frameMs, 0.5),
                percentile(frameMs, 0.99), frameMs.size(), qPrintable(QGuiApplication::platformName()));
    std::printf(
        "  client parse capacity: %.2f M frames per CPU-second (the offered load needs %.0f %% of a core)\n",
        parseFramesPerCpuSecond / 1e6, 100.0 * devices * hz / parseFramesPerCpuSecond);
    std::printf("  CPU: process %.2f cores, GUI thread %.2f cores\n", cpu / std::max(elapsed, 1e-9),
                gui / std::max(elapsed, 1e-9));
    std::fflush(stdout);

    bool ok = true;
    if (parsed != stored) {
        std::printf("FAIL: the store lost %lld frames\n", (long long)(parsed - stored));
        ok = false;
    }
    if (devicesSeen != devices) {
        std::printf("FAIL: %d of %d devices in the store\n", devicesSeen, devices);
        ok = false;
    }
    // Gate on CPU time: wall time also counts preemption by whatever else the machine runs.
    if (cpuP99 >= 16.0) {
        std::printf("FAIL: p99 GUI-thread tick %.2f ms CPU >= 16 ms\n", cpuP99);
        ok = false;
    }
    return ok ? 0 : 1;
}
