// Qt Quick Test for the simulator and emulator panels with real, small instances: an
// in-process relay, a SwarmController and an EmulatorController aimed at it, a DeviceStore,
// and a TestPeer (subscriber and command sender), injected as context properties.
#include "devicestore.h"
#include "emulatorcontroller.h"
#include "relayserver.h"
#include "swarmcontroller.h"
#include "swarmtestpeer.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable()
    {
        RelayConfig config;
        config.host = QHostAddress::LocalHost;
        config.port = 0;
        m_relay = new RelayServer(config, this);
        if (!m_relay->listen())
            qFatal("cannot start the test relay");
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(m_relay->serverPort());
        auto *store = new DeviceStore(this);
        auto *swarm = new SwarmController(nullptr, this);
        swarm->setUrl(url);
        auto *emulator = new EmulatorController(nullptr, this);
        emulator->setUrl(url);
        auto *peer = new Testing::TestPeer(this);
        peer->open(QUrl(url));
        QQmlContext *context = engine->rootContext();
        context->setContextProperty(QStringLiteral("testRelayUrl"), url);
        context->setContextProperty(QStringLiteral("testStore"), store);
        context->setContextProperty(QStringLiteral("testSwarm"), swarm);
        context->setContextProperty(QStringLiteral("testEmulator"), emulator);
        context->setContextProperty(QStringLiteral("testPeer"), peer);
    }

private:
    RelayServer *m_relay = nullptr;
};

QUICK_TEST_MAIN_WITH_SETUP(simulator_emulator_panels, Setup)

#include "tst_simemupanels.moc"
