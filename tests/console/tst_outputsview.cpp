// Qt Quick Test of the Outputs view against a real OutputsController: a DeviceStore fed by the
// test, a CommandController over a FakeTransport, OSC sent to a UDP socket in this process and
// MIDI to a fake backend (these machines have no /dev/snd/seq), settings in a scratch file.
#include "appsettings.h"
#include "commandcontroller.h"
#include "devicestore.h"
#include "fakemidisink.h"
#include "fakerelay.h"
#include "outputscontroller.h"
#include "registrymodel.h"
#include "udplistener.h"

#include <QFile>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QTemporaryDir>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(GroupLoop_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(GroupLoop_UiPlugin)

using namespace GroupLoop;

// What the QML test drives and inspects beyond the controller's own invokables.
class OutputsDriver : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int oscPort READ oscPort CONSTANT)

public:
    OutputsDriver(DeviceStore *store, OutputsController *outputs, QObject *parent = nullptr)
        : QObject(parent)
        , m_store(store)
        , m_midi(std::make_shared<Test::MidiLog>())
    {
        outputs->setMidiBackend(
            [this](const QString &) -> std::unique_ptr<MidiSink> {
                return std::make_unique<Test::FakeMidiSink>(m_midi);
            },
            [](QString *) { return QStringList {QStringLiteral("Fake Synth")}; });
    }
    int oscPort() const { return m_osc.port(); }

    Q_INVOKABLE void feed(const QStringList &lines)
    {
        for (const QString &line : lines)
            m_store->pushFrameText(line);
        m_store->tick(m_now += 50);
    }
    // The OSC messages received at oscPort with this address, as [[args...], ...].
    Q_INVOKABLE QVariantList received(const QString &address) const
    {
        QVariantList out;
        for (const Osc::Message &message : m_osc.withAddress(address.toUtf8())) {
            QVariantList args;
            for (const Osc::Argument &argument : message.arguments) {
                if (argument.type() == Osc::Argument::Float32)
                    args << argument.toReal();
                else
                    args << double(argument.toInteger());
            }
            out << QVariant(args);
        }
        return out;
    }
    Q_INVOKABLE void clearReceived() { m_osc.clear(); }
    // MIDI bytes the fake port got, as "b0 14 40" strings.
    Q_INVOKABLE QStringList midi() const
    {
        QStringList out;
        for (const QByteArray &message : std::as_const(m_midi->messages))
            out << QString::fromLatin1(message.toHex(' '));
        return out;
    }
    Q_INVOKABLE QString scratch(const QString &name) const { return m_dir.filePath(name); }
    Q_INVOKABLE QString read(const QString &path) const
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }
    Q_INVOKABLE bool write(const QString &path, const QString &text) const
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) >= 0;
    }

private:
    DeviceStore *m_store;
    std::shared_ptr<Test::MidiLog> m_midi;
    Test::UdpListener m_osc;
    QTemporaryDir m_dir;
    qint64 m_now = 1000000;
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
        store->setStaleAfterMs(3600000);
        auto *transport = new Testing::FakeTransport(this);
        auto *registry = new RegistryModel(this);
        auto *commands = new CommandController(store, transport, registry, this);
        auto *settings = new AppSettings(m_dir.filePath(QStringLiteral("settings.ini")), this);
        auto *outputs = new OutputsController(store, commands, registry, settings, this);
        QQmlContext *context = engine->rootContext();
        context->setContextProperty(QStringLiteral("testOutputs"), outputs);
        context->setContextProperty(QStringLiteral("testDriver"), new OutputsDriver(store, outputs, this));
        context->setContextProperty(QStringLiteral("testStore"), store);
    }

private:
    QTemporaryDir m_dir;
};

QUICK_TEST_MAIN_WITH_SETUP(outputs_view, Setup)

#include "tst_outputsview.moc"
