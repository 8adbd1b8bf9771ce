// console-swarm-screenshots OUTDIR: the simulator and emulator panel screenshots for the docs.
// Runs the whole console window with a relay in-process, starts a 300-device swarm from the
// simulator controller, sends pattern:heartbeat to the devices in the room's north-west
// quarter and grabs the Simulator view while they beat; then connects the emulated device,
// moves and tilts it, sends it a few commands and grabs the Emulator view while it vibrates.
// Run it on a real display or Xvfb: the offscreen platform's software renderer does not draw
// the field's custom geometry. Add --dark for the dark theme.
#include "commandcontroller.h"
#include "consolecontext.h"
#include "devicestore.h"
#include "emulatorcontroller.h"
#include "relayclient.h"
#include "relayserver.h"
#include "swarmcontroller.h"
#include "swarmtestpeer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

static void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: console-swarm-screenshots OUTDIR [--dark]\n");
        return 2;
    }
    QDir out(args.at(1));
    out.mkpath(QStringLiteral("."));
    const bool dark = args.contains(QStringLiteral("--dark"));
    const QString suffix = dark ? QStringLiteral("-dark") : QString();

    RelayConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    RelayServer relay(config);
    if (!relay.listen())
        return 1;
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(relay.serverPort()));

    QTemporaryDir dir;
    ConsoleContext context(dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(&context);
    context.setRelayNote(QStringLiteral("Built-in relay listening on 0.0.0.0:5003"));
    context.setThemeOverride(dark ? QStringLiteral("dark") : QStringLiteral("light"));
    context.relay()->connectTo(url);
    QQmlApplicationEngine engine;
    ConsoleContext::loadMainWindow(engine);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return 1;
    window->resize(1440, 900);
    QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, QStringLiteral("simulator")));

    SwarmController *swarm = context.swarm();
    swarm->setDevices(300);
    swarm->setSeedText(QStringLiteral("2024"));
    swarm->setRotation(QStringLiteral("random"));
    if (!swarm->start()) {
        std::fprintf(stderr, "%s\n", qPrintable(swarm->error()));
        return 1;
    }
    DeviceStore *store = context.store();
    settle(6000);

    // Select the devices in the north-west quarter and make them beat.
    store->clearSelection();
    QList<quint16> group;
    for (const DeviceSnapshot &d : swarm->snapshot())
        if (d.position.x() < 400 && d.position.y() < 300)
            group << d.id;
    store->select(group, DeviceStore::SelectMode::Replace);
    context.commands()->send(QStringLiteral("pattern"), QStringLiteral("heartbeat"));
    settle(1500);
    // Grab at the top of a beat while the other devices' breathing is bright too, so both show.
    const QString id = SensorFrame::idToText(group.value(0));
    QString other;
    for (const DeviceSnapshot &d : swarm->snapshot())
        if (!group.contains(d.id))
            other = SensorFrame::idToText(d.id);
    auto level = [&](const QString &device) {
        int best = 0;
        for (const QString &led : swarm->ledColoursOf(device)) {
            const QColor c(led);
            best = std::max({best, c.red(), c.green(), c.blue()});
        }
        return best;
    };
    QElapsedTimer wait;
    wait.start();
    while (wait.elapsed() < 15000) {
        if (level(id) > 200 && level(other) > 150)
            break;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    QImage image = window->grabWindow();
    QString path = out.filePath(QStringLiteral("simulator%1.png").arg(suffix));
    std::printf("%s %s (%lld devices selected)\n", image.save(path) ? "saved" : "FAILED", qPrintable(path),
                qint64(group.size()));

    // The emulator: one device by hand.
    EmulatorController *emulator = context.emulator();
    emulator->setIdText(QStringLiteral("beef"));
    emulator->connectToRelay();
    QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, QStringLiteral("emulator")));
    settle(1000);
    emulator->moveTo(230, 170);
    emulator->setRoll(18);
    emulator->setPitch(-24);
    emulator->setYaw(25);
    Testing::TestPeer commander;
    commander.open(url);
    settle(500);
    commander.send(QStringLiteral("cmd:beef:brightness:255"));
    commander.send(QStringLiteral("cmd:beef:led:00a0ff"));
    commander.send(QStringLiteral("cmd:beef:pattern:cycle"));
    commander.send(QStringLiteral("cmd:beef:led_set:1:ff00aa"));
    commander.send(QStringLiteral("cmd:beef:led_set:3:ffaa00"));
    commander.send(QStringLiteral("cmd:beef:led_set:5:00ff60"));
    commander.send(QStringLiteral("cmd:beef:led_set:0:ffffff"));
    commander.send(QStringLiteral("cmd:beef:status"));
    settle(1200);
    emulator->tap();
    context.commands()->setTargetMode(CommandController::One);
    context.commands()->setOneTarget(QStringLiteral("beef"));
    context.commands()->send(QStringLiteral("vibrate"), QStringLiteral("1500"));
    settle(500);
    image = window->grabWindow();
    path = out.filePath(QStringLiteral("emulator%1.png").arg(suffix));
    std::printf("%s %s\n", image.save(path) ? "saved" : "FAILED", qPrintable(path));
    swarm->stop();
    emulator->disconnectFromRelay();
    settle(300);
    return 0;
}
