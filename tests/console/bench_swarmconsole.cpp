// Console with a swarm: the whole console window (Main.qml) with its built-in relay and a
// 1,000-device swarm started from the simulator panel's controller, all in one process, as a
// user runs it. The window is redrawn continuously (an update requested on every swapped
// frame) and every frame is timed on the GUI thread: wall interval between swapped frames and
// the GUI thread's CPU time for that interval. Half the time on the Field view (true-position
// overlay on), half on the Simulator view (live preview plus overlay). During the run the
// bench selects 100 devices and sends them pattern:heartbeat through the command controller,
// the way the command panel does, and checks that exactly those devices received it.
// Fails if not every device reaches the console, if the command count is off, or if the p99
// GUI-thread CPU time per frame is 16 ms or more (wall figures are reported too; on a shared
// machine they include preemption). The render loop is "basic" unless QSG_RENDER_LOOP is set,
// so rendering itself counts as GUI-thread work.
// Environment: BENCH_DEVICES (default 1000), BENCH_HZ (20), BENCH_SECONDS (12).
#include "commandcontroller.h"
#include "consolecontext.h"
#include "devicestore.h"
#include "relayclient.h"
#include "relayhost.h"
#include "swarmcontroller.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <time.h>

#include "benchsupport.h"

#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;
using namespace GroupLoop::Bench;

namespace {
const char *apiName(QSGRendererInterface::GraphicsApi api)
{
    switch (api) {
    case QSGRendererInterface::Software:
        return "software";
    case QSGRendererInterface::OpenGL:
        return "OpenGL";
    case QSGRendererInterface::Vulkan:
        return "Vulkan";
    default:
        return "other";
    }
}

struct Series
{
    std::vector<double> wallMs;
    std::vector<double> cpuMs;
};
} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QSG_RENDER_LOOP"))
        qputenv("QSG_RENDER_LOOP", "basic");
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    const int devices = envInt("BENCH_DEVICES", 1000);
    const int hz = envInt("BENCH_HZ", 20);
    const int seconds = envInt("BENCH_SECONDS", 12);
    const int selected = std::min(100, devices);

    RelayHost relayHost;
    RelayConfig relayConfig;
    relayConfig.host = QHostAddress::LocalHost;
    relayConfig.port = 0;
    const RelayHost::Result relay = relayHost.start(relayConfig);
    if (relay.outcome == RelayHost::Outcome::Failed) {
        std::fprintf(stderr, "bench: built-in relay failed: %s\n", qPrintable(relay.message));
        return 1;
    }

    QTemporaryDir dir;
    ConsoleContext context(dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(&context);
    DeviceStore *store = context.store();
    SwarmController *swarm = context.swarm();
    context.relay()->connectTo(relay.url);
    QQmlApplicationEngine engine;
    ConsoleContext::loadMainWindow(engine);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window) {
        std::fprintf(stderr, "bench: the window did not load\n");
        return 1;
    }
    window->resize(1440, 900);
    QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, QStringLiteral("field")));

    // The panel's defaults: one socket per device.
    swarm->setDevices(devices);
    swarm->setHz(hz);
    swarm->setGateway(1);
    swarm->setShowTruePositions(true);
    if (!swarm->start()) {
        std::fprintf(stderr, "bench: %s\n", qPrintable(swarm->error()));
        return 1;
    }

    Series field, simulator;
    Series *current = nullptr;
    QElapsedTimer frameClock;
    double frameCpu = 0.0;
    QObject::connect(window, &QQuickWindow::frameSwapped, &app, [&] {
        const double cpu = (Bench::threadCpuSeconds() * 1e3);
        if (current && frameClock.isValid()) {
            current->wallMs.push_back(double(frameClock.nsecsElapsed()) / 1e6);
            current->cpuMs.push_back(cpu - frameCpu);
        }
        frameClock.start();
        frameCpu = cpu;
        window->update(); // keep drawing: every frame is a measured frame
    });

    // Warm-up: wait until every device is in the store (at most 30 s), then command a selection.
    QElapsedTimer warmup;
    warmup.start();
    while (store->count() < devices && warmup.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const qint64 rampMs = warmup.elapsed();
    if (store->count() < devices) {
        std::printf("FAIL: only %d of %d devices reached the console in 30 s (open sockets %d)\n",
                    store->count(), devices, swarm->openSockets());
        return 1;
    }
    QStringList ids = store->ids();
    ids = ids.mid(0, selected);
    store->clearSelection();
    for (const QString &id : ids)
        store->addToSelection(id);
    const double commandsBefore = swarm->commandsReceived();
    context.commands()->setTargetMode(CommandController::Selection);
    context.commands()->send(QStringLiteral("pattern"), QStringLiteral("heartbeat"));

    const double gui0 = (Bench::threadCpuSeconds() * 1e3);
    const double process0 = processCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    current = &field;
    QTimer::singleShot(seconds * 500, &app, [&] {
        current = &simulator;
        frameClock.invalidate();
        QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, QStringLiteral("simulator")));
    });
    QTimer::singleShot(seconds * 1000, &app, [&] {
        current = nullptr;
        QCoreApplication::quit();
    });
    window->update();
    app.exec();
    const double elapsedS = double(wall.nsecsElapsed()) / 1e9;
    const double guiCores = ((Bench::threadCpuSeconds() * 1e3) - gui0) / 1e3 / elapsedS;
    const double processCores = (processCpuSeconds() - process0) / elapsedS;
    const double commands = swarm->commandsReceived() - commandsBefore;
    const int storeCount = store->count();
    const double framesPerSecond = swarm->framesPerSecond();
    const int openSockets = swarm->openSockets();
    swarm->stop();

    std::vector<double> allWall = field.wallMs, allCpu = field.cpuMs;
    allWall.insert(allWall.end(), simulator.wallMs.begin(), simulator.wallMs.end());
    allCpu.insert(allCpu.end(), simulator.cpuMs.begin(), simulator.cpuMs.end());
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QByteArray load
        = loadavg.open(QIODevice::ReadOnly) ? loadavg.readAll().trimmed() : QByteArray("n/a");
    auto report = [](const char *name, const Series &s) {
        std::printf(
            "  %-10s frames %5zu | interval ms p50 %5.2f p99 %5.2f max %6.2f | GUI CPU ms p50 %5.2f p99 "
            "%5.2f max %6.2f\n",
            name, s.wallMs.size(), percentile(s.wallMs, 0.5), percentile(s.wallMs, 0.99),
            percentile(s.wallMs, 1.0), percentile(s.cpuMs, 0.5), percentile(s.cpuMs, 0.99),
            percentile(s.cpuMs, 1.0));
    };
    std::printf("bench_swarmconsole: console window + built-in relay + %d-device swarm (%d Hz, one socket "
                "each), %d s measured\n",
                devices, hz, seconds);
    std::printf("  platform %s, scene graph %s, render loop %s\n",
                qPrintable(QGuiApplication::platformName()),
                apiName(window->rendererInterface()->graphicsApi()), qgetenv("QSG_RENDER_LOOP").constData());
    std::printf(
        "  all %d devices in the console after %.1f s; %d/%d sockets open; swarm sending %.0f frames/s\n",
        storeCount, double(rampMs) / 1e3, openSockets, devices, framesPerSecond);
    std::printf("  pattern:heartbeat to %d selected devices: %.0f commands received by the swarm\n", selected,
                commands);
    report("field", field);
    report("simulator", simulator);
    report("all", Series {allWall, allCpu});
    std::printf("  CPU: whole process (GUI, relay, relay client, swarm) %.2f cores, GUI thread %.2f cores; "
                "load average at the end: %s (%d CPUs)\n",
                processCores, guiCores, load.constData(), QThread::idealThreadCount());
    std::fflush(stdout);

    bool ok = true;
    if (storeCount != devices) {
        std::printf("FAIL: %d of %d devices in the console at the end\n", storeCount, devices);
        ok = false;
    }
    if (int(commands) != selected) {
        std::printf("FAIL: %.0f commands received, expected exactly %d\n", commands, selected);
        ok = false;
    }
    if (allCpu.size() < size_t(seconds * 2)) {
        std::printf("FAIL: only %zu frames drawn in %d s\n", allCpu.size(), seconds);
        ok = false;
    }
    if (percentile(allCpu, 0.99) >= 16.0) {
        std::printf("FAIL: p99 GUI-thread CPU per frame %.2f ms >= 16 ms\n", percentile(allCpu, 0.99));
        ok = false;
    }
    return ok ? 0 : 1;
}
