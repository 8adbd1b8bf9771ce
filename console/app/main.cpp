// grouploop-console: parse options, start (or find) the relay, load the QML, run.
#include "appsettings.h"
#include "builtinrelay.h"
#include "consolecontext.h"
#include "consoleoptions.h"
#include "devicestore.h"
#include "emulatorcontroller.h"
#include "logmodel.h"
#include "osccommandreceiver.h"
#include "outputscontroller.h"
#include "relayclient.h"
#include "relayoptions.h"
#include "relayserver.h"
#include "sessionplayer.h"
#include "sessionrecorder.h"
#include "swarmcontroller.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

static void say(FILE *stream, const QString &text)
{
    std::fprintf(stream, "%s\n", qPrintable(text));
    std::fflush(stream);
}

static bool saveScreenshot(QQmlApplicationEngine &engine, const QString &file)
{
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0));
    const QImage image = window ? window->grabWindow() : QImage();
    if (image.isNull() || !image.save(file, "PNG")) {
        say(stderr, QStringLiteral("grouploop-console: could not save the screenshot to %1").arg(file));
        return false;
    }
    say(stdout,
        QStringLiteral("grouploop-console: screenshot saved to %1 (%2x%3; window at %4,%5)")
            .arg(file)
            .arg(image.width())
            .arg(image.height())
            .arg(window->x())
            .arg(window->y()));
    return true;
}

int main(int argc, char *argv[])
{
    // Options first, before QGuiApplication looks for a display: --help, --version and a bad
    // flag answer on a terminal with none.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    ConsoleOptions options;
    QString error;
    switch (options.parse(arguments, &error)) {
    case ConsoleOptions::Outcome::Error:
        say(stderr, QStringLiteral("grouploop-console: ") + error + QStringLiteral(" (see --help)"));
        return 2;
    case ConsoleOptions::Outcome::ShowHelp:
        say(stdout, options.helpText());
        return 0;
    case ConsoleOptions::Outcome::ShowVersion:
        say(stdout, QStringLiteral("grouploop-console ") + QStringLiteral(GROUPLOOP_VERSION));
        return 0;
    case ConsoleOptions::Outcome::Run:
        break;
    }

    RelayServer::preferScalableEventDispatcher(); // the built-in relay's thread gets it too
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(QStringLiteral("GroupLoop"));
    QGuiApplication::setApplicationName(QStringLiteral("grouploop-console"));
    QGuiApplication::setApplicationVersion(QStringLiteral(GROUPLOOP_VERSION));

    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    // The built-in relay logs per device at info level, and the console's own categories
    // (consolelogging.h) repeat the log panel; the terminal keeps to warnings and errors.
    RelayOptions::applyLogLevel(QStringLiteral("warning"));
    ConsoleContext context {QString()};
    ConsoleContext::setInstance(&context);
    context.store()->setForgetAfterMs(options.forgetAfterMs);
    context.store()->setStaleAfterMs(options.staleAfterMs);
    context.setInitialView(options.view);
    context.setThemeOverride(options.theme);

    // --replay FILE: the Record & replay view's player; it starts playing with the window.
    if (!options.replayFile.isEmpty() && !context.player()->open(options.replayFile)) {
        say(stderr, QStringLiteral("grouploop-console: --replay: ") + context.player()->error());
        return 2;
    }

    // Outputs (docs/outputs.md): --mappings or the file used last, --osc-out, --osc-in.
    OutputsController *outputs = context.outputs();
    outputs->setDefaultFile(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                            + QStringLiteral("/outputs.json"));
    if (!options.mappingsFile.isEmpty()) {
        if (!outputs->load(options.mappingsFile)) {
            say(stderr, QStringLiteral("grouploop-console: --mappings: ") + outputs->lastError());
            return 2;
        }
    } else {
        outputs->restore();
    }
    for (const OscDestination &destination : std::as_const(options.oscOut))
        outputs->addCommandLineDestination(destination);
    if (options.oscInPort >= 0) {
        if (!outputs->listenOscIn(options.oscInPort)) {
            say(stderr, QStringLiteral("grouploop-console: --osc-in: ") + outputs->oscInStatus());
            return 2;
        }
        say(stdout, QStringLiteral("grouploop-console: OSC in ") + outputs->oscInStatus());
    }

    QUrl url = options.url;
    if (url.isEmpty()) {
        RelayConfig config;
        config.port = options.relayPort;
        // --web-root, else the folder set in the Join dialog; a saved folder that no longer works
        // is reported and left out, so the console still starts.
        config.webRoot.dir = options.webRoot;
        const QString savedWebRoot = context.settings()->value(QStringLiteral("relay/webRoot")).toString();
        QString webRootError;
        if (options.webRoot.isEmpty() && !savedWebRoot.isEmpty()) {
            if (WebRoot().open({savedWebRoot, {}, {}}, &webRootError))
                config.webRoot.dir = savedWebRoot;
            else
                context.log()->append(LogModel::Warning, QStringLiteral("relay"),
                                      webRootError
                                          + QStringLiteral(" (set in the Join dialog): no apps served"));
        }
        const RelayHost::Result started = context.builtInRelay()->start(config);
        if (started.outcome == RelayHost::Outcome::Failed) {
            say(stderr, QStringLiteral("grouploop-console: ") + started.message);
            return 1;
        }
        say(stdout, QStringLiteral("grouploop-console: ") + started.message);
        context.setRelayNote(started.message);
        context.log()->append(started.outcome == RelayHost::Outcome::Started ? LogModel::Info
                                                                             : LogModel::Warning,
                              QStringLiteral("relay"), started.message);
        url = started.url;
        context.setWebRoot(context.builtInRelay()->webRoot()); // none when it joined another relay
    } else {
        context.setRelayNote(QObject::tr("External relay %1").arg(url.toString()));
    }
    context.applySecurity(options.token, options.caFile, url);
    context.relay()->connectTo(url);
    if (!options.recordFile.isEmpty() && !context.recorder()->startTo(options.recordFile)) {
        say(stderr, QStringLiteral("grouploop-console: --record: ") + context.recorder()->error());
        return 2;
    }

    // --demo N: a swarm of virtual devices from the simulator library, in its own thread. It is
    // the simulator panel's swarm, so the panel shows it running and can stop or change it.
    if (options.demoDevices > 0 && !context.swarm()->startDemo(options.demoDevices, url, &error)) {
        say(stderr, QStringLiteral("grouploop-console: --demo: ") + error);
        return 2;
    }

    QQmlApplicationEngine engine;
    if (!ConsoleContext::loadMainWindow(engine)) {
        say(stderr,
            QStringLiteral("grouploop-console: the user interface failed to load (see the messages above)"));
        return 1;
    }

    if (context.player()->isLoaded() || context.player()->isLoading())
        context.player()->play(); // while loading: plays once indexed
    if (!options.screenshotFile.isEmpty()) {
        QTimer::singleShot(options.screenshotDelayMs, &app, [&] {
            QCoreApplication::exit(saveScreenshot(engine, options.screenshotFile) ? 0 : 1);
        });
    }
    const int rc = QGuiApplication::exec();
    context.recorder()->stop(); // everything received so far goes to the file
    context.swarm()->stop();
    context.emulator()->disconnectFromRelay();
    context.relay()->disconnectFromRelay();
    return rc;
}
