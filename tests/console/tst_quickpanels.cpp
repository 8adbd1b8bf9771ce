// Qt Quick Test for the console panels. The setup hook injects a real DeviceStore fed by the
// test, a CommandController over a FakeTransport, the built-in registry and a log model, as
// context properties the QML tests hand to the panels.
#include "commandcontroller.h"
#include "devicestore.h"
#include "fakerelay.h"
#include "firmwarecontroller.h"
#include "logmodel.h"
#include "registrymodel.h"
#include "relayclient.h"
#include "relayserver.h"
#include "sessionplayer.h"
#include "sessionrecorder.h"

#include <QFile>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QTemporaryDir>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

// What QML tests may do to the store beyond its own invokables.
class StoreDriver : public QObject
{
    Q_OBJECT
public:
    explicit StoreDriver(DeviceStore *store, QObject *parent = nullptr)
        : QObject(parent)
        , m_store(store)
    {
    }
    Q_INVOKABLE void tick() { m_store->tick(m_now += 50); }
    Q_INVOKABLE void feed(const QStringList &lines)
    {
        for (const QString &line : lines)
            m_store->pushFrameText(line);
        tick();
    }

private:
    DeviceStore *m_store;
    qint64 m_now = 1000000;
};

// Files for the record and replay panel: a scratch folder, reads and writes.
class FileHelper : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    Q_INVOKABLE QString dir() const { return m_dir.path(); }
    Q_INVOKABLE bool write(const QString &name, const QString &text)
    {
        QFile f(m_dir.filePath(name));
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && f.write(text.toUtf8()) == text.toUtf8().size();
    }
    Q_INVOKABLE QString read(const QString &path) const
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    Q_INVOKABLE QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

// The Firmware view's relay: OTA allowed behind a token (or, allowOta false, a relay started
// without --allow-ota), a firmware folder with one image, and no devices, so every rollout
// target ends "not connected to this relay".
class FirmwareRelay : public QObject
{
    Q_OBJECT
public:
    explicit FirmwareRelay(bool allowOta, QObject *parent = nullptr)
        : QObject(parent)
    {
        QFile image(m_folder.filePath(QStringLiteral("app.bin")));
        if (image.open(QIODevice::WriteOnly))
            image.write(QByteArray(64 * 1024, 'F'));
        RelayConfig config;
        config.host = QHostAddress::LocalHost;
        config.port = 0;
        config.allowOta = allowOta;
        config.access.controllerTokens.add("quick-token");
        config.firmwareDir = m_folder.path();
        m_relay = new RelayServer(config, this);
        QString error;
        if (!m_relay->listen(&error))
            qFatal("firmware relay: %s", qPrintable(error));
    }
    QString url() const
    {
        return QStringLiteral("ws://127.0.0.1:%1/?token=quick-token").arg(m_relay->serverPort());
    }
    Q_INVOKABLE QString folder() const { return m_folder.path(); }

private:
    QTemporaryDir m_folder;
    RelayServer *m_relay = nullptr;
};

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        auto *store = new DeviceStore(this);
        store->setForgetAfterMs(3600000);
        auto *transport = new Testing::FakeTransport(this);
        auto *registry = new RegistryModel(this);
        auto *commands = new CommandController(store, transport, registry, this);
        auto *log = new LogModel(this);
        QQmlContext *context = engine->rootContext();
        context->setContextProperty(QStringLiteral("testStore"), store);
        context->setContextProperty(QStringLiteral("testDriver"), new StoreDriver(store, this));
        context->setContextProperty(QStringLiteral("testTransport"), transport);
        context->setContextProperty(QStringLiteral("testRegistry"), registry);
        context->setContextProperty(QStringLiteral("testCommands"), commands);
        context->setContextProperty(QStringLiteral("testLog"), log);
        context->setContextProperty(QStringLiteral("testRecorder"),
                                    new SessionRecorder(store, nullptr, commands, this));
        context->setContextProperty(QStringLiteral("testPlayer"), new SessionPlayer(store, this));
        context->setContextProperty(QStringLiteral("testFiles"), new FileHelper(this));
        // Each Firmware controller reads the relay and the token from its own connection.
        for (const bool allowOta : {true, false}) {
            auto *firmwareRelay = new FirmwareRelay(allowOta, this);
            auto *client = new RelayClient(new DeviceStore(this), this);
            client->connectTo(QUrl(firmwareRelay->url()));
            const QString name
                = allowOta ? QStringLiteral("testFirmware") : QStringLiteral("testFirmwareOtaOff");
            context->setContextProperty(name + QStringLiteral("Relay"), firmwareRelay);
            context->setContextProperty(name, new FirmwareController(client, this));
        }
    }
    void cleanupTestCase()
    {
        // While the application still exists (Qt's network internals free themselves through its
        // event loop, gone once main() unwinds this object), newest first, as a stack unwinds.
        const QObjectList made = children();
        for (auto it = made.crbegin(); it != made.crend(); ++it)
            delete *it;
    }
};

QUICK_TEST_MAIN_WITH_SETUP(console_panels, Setup)

#include "tst_quickpanels.moc"
