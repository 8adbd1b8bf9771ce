// console-screenshots OUTDIR: the documentation screenshots. Runs the whole console window
// against a relay in-process with 60 test devices, selects a group, commands some colours,
// then saves each view (and a dark one) as PNG. Run it on a real display or Xvfb: the
// offscreen platform uses the software renderer, which does not draw the device field.
#include "commandcontroller.h"
#include "consolecontext.h"
#include "devicefeeder.h"
#include "devicestore.h"
#include "relayclient.h"
#include "relayserver.h"

#include <QDir>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

// Searches the visual tree too: items inside controls are not always QObject children.
static QObject *findNamed(QObject *root, const QString &name)
{
    if (!root)
        return nullptr;
    if (root->objectName() == name)
        return root;
    if (auto *item = qobject_cast<QQuickItem *>(root))
        for (QQuickItem *child : item->childItems())
            if (QObject *found = findNamed(child, name))
                return found;
    for (QObject *child : root->children())
        if (QObject *found = findNamed(child, name))
            return found;
    return nullptr;
}

static void settle(int ms)
{
    QTest::qWait(ms);
}

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: console-screenshots OUTDIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    QDir().mkpath(out.path());
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    // Relay and test devices in their own thread, as in the real console (built-in relay in a
    // worker thread, devices elsewhere), so grabbing frames does not stall them.
    QThread backend;
    backend.start();
    QObject anchor;
    anchor.moveToThread(&backend);
    std::unique_ptr<RelayServer> relay;
    std::unique_ptr<Testing::DeviceFeeder> feeder;
    quint16 port = 0;
    QMetaObject::invokeMethod(
        &anchor,
        [&] {
            RelayConfig config;
            config.host = QHostAddress::LocalHost;
            config.port = 0;
            relay = std::make_unique<RelayServer>(config);
            if (relay->listen())
                port = relay->serverPort();
            feeder = std::make_unique<Testing::DeviceFeeder>(Testing::DeviceFeeder::Config {
                QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port)), 60, 10, 20.0, 0x1a00, 0.3});
            feeder->start();
        },
        Qt::BlockingQueuedConnection);
    if (!port)
        return 1;
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QTemporaryDir dir;
    ConsoleContext context(dir.filePath(QStringLiteral("settings.ini")));
    ConsoleContext::setInstance(&context);
    context.setRelayNote(QStringLiteral("Built-in relay listening on 0.0.0.0:5003"));
    context.relay()->connectTo(url);

    QQmlApplicationEngine engine;
    ConsoleContext::loadMainWindow(engine);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    if (!window)
        return 1;
    window->resize(1440, 900);
    settle(2500);

    DeviceStore *store = context.store();
    CommandController *commands = context.commands();
    const QStringList ids = store->ids();
    // Colour a few groups the way a show would: red, green, blue by id.
    const QStringList colours = {QStringLiteral("ff3030"), QStringLiteral("30d060"), QStringLiteral("3070ff"),
                                 QStringLiteral("ffb000")};
    for (int c = 0; c < colours.size(); ++c) {
        QStringList group;
        for (int i = c; i < ids.size(); i += 5)
            group << ids[i];
        store->clearSelection();
        for (const QString &id : group)
            store->addToSelection(id);
        commands->send(QStringLiteral("led"), colours[c]);
        settle(200);
    }
    store->clearSelection();
    for (int i = 0; i < 12; ++i)
        store->addToSelection(ids.value(i * 3));
    commands->send(QStringLiteral("vibrate"), QStringLiteral("300"));
    commands->setTargetMode(CommandController::One);
    commands->setOneTarget(QStringLiteral("beef"));
    commands->send(QStringLiteral("status"));
    commands->setTargetMode(CommandController::Selection);
    store->setCurrentId(ids.value(3));
    settle(3000);

    auto shoot = [&](const QString &view, const QString &file) {
        QMetaObject::invokeMethod(window, "showView", Q_ARG(QVariant, view));
        settle(700);
        const QImage image = window->grabWindow();
        const QString path = out.filePath(file);
        std::printf("%s %s\n", image.save(path) ? "saved" : "FAILED", qPrintable(path));
    };
    shoot(QStringLiteral("field"), QStringLiteral("field.png"));
    shoot(QStringLiteral("devices"), QStringLiteral("devices.png"));
    shoot(QStringLiteral("detail"), QStringLiteral("detail.png"));
    shoot(QStringLiteral("log"), QStringLiteral("log.png"));
    // The lower half of the command panel: LED ring, other commands, OTA, raw line.
    if (QObject *scroll = findNamed(window->contentItem(), QStringLiteral("commandScroll"))) {
        if (auto *flickable = scroll->property("contentItem").value<QQuickItem *>()) {
            const double bottom = flickable->property("contentHeight").toDouble() - flickable->height();
            flickable->setProperty("contentY", bottom);
        }
    }
    if (QObject *raw = findNamed(window->contentItem(), QStringLiteral("rawCommandField")))
        raw->setProperty("text", QStringLiteral("cmd:all:pattern:heartbeat"));
    shoot(QStringLiteral("field"), QStringLiteral("commands.png"));
    // The dark theme.
    window->setProperty("currentView", QStringLiteral("field"));
    if (QObject *theme = findNamed(window->contentItem(), QStringLiteral("themeButton")))
        QMetaObject::invokeMethod(theme, "clicked");
    shoot(QStringLiteral("field"), QStringLiteral("field-dark.png"));
    shoot(QStringLiteral("devices"), QStringLiteral("devices-dark.png"));
    QMetaObject::invokeMethod(
        &anchor,
        [&] {
            feeder.reset();
            relay.reset();
        },
        Qt::BlockingQueuedConnection);
    backend.quit();
    backend.wait();
    return 0;
}
