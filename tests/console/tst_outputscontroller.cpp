// OutputsController without QML: a broken outputs file at start is named and never overwritten,
// OSC in comes back on the port it was left on, and OSC in's commands go through the
// CommandController (answered with the relay's result, or why nothing was sent).
#include "appsettings.h"
#include "commandcontroller.h"
#include "devicestore.h"
#include "fakerelay.h"
#include "oscwriter.h"
#include "outputscontroller.h"
#include "registrymodel.h"
#include "showcontrol.h"
#include "udplistener.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;

namespace {
struct Rig
{
    explicit Rig(const QString &settingsFile)
        : settings(settingsFile)
        , commands(&store, &transport, &registry)
        , outputs(&store, &commands, &registry, &settings)
    {
    }
    DeviceStore store;
    Testing::FakeTransport transport;
    RegistryModel registry;
    AppSettings settings;
    CommandController commands;
    OutputsController outputs;
};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestOutputsController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void brokenFileAtStartIsNamedAndKept();
    void oscInComesBackWhereItWasLeft();
    void oscCommandsGoThroughTheCommandController();
};

void TestOutputsController::brokenFileAtStartIsNamedAndKept()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("outputs.json"));
    const QByteArray broken = R"({"format": "grouploop-outputs", "version": 1, "mappings": [{"source": 3}]})";
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(broken);
    f.close();

    Rig rig(dir.filePath(QStringLiteral("settings.ini")));
    QSignalSpy problems(&rig.outputs, &OutputsController::problem);
    rig.outputs.setDefaultFile(file);
    rig.outputs.restore();
    QVERIFY2(rig.outputs.lastError().startsWith(file + QStringLiteral(":mappings[0].source:")),
             qPrintable(rig.outputs.lastError()));
    QVERIFY(!problems.isEmpty());
    QCOMPARE(rig.outputs.addMapping(rig.outputs.newMapping(QStringLiteral("roll"))), QString());
    QCOMPARE(readAll(file), broken); // the user's file, untouched

    // Saved elsewhere: from then on changes go there.
    const QString other = dir.filePath(QStringLiteral("fixed.json"));
    QVERIFY(rig.outputs.save(other));
    rig.outputs.removeMapping(0);
    QVERIFY(!readAll(other).contains("roll"));
    QCOMPARE(rig.settings.value(OutputsController::settingsFileKey()).toString(), other);
}

void TestOutputsController::oscInComesBackWhereItWasLeft()
{
    QTemporaryDir dir;
    const QString settings = dir.filePath(QStringLiteral("settings.ini"));
    quint16 port = 0;
    {
        Rig rig(settings);
        QVERIFY(rig.outputs.listenOscIn(0));
        port = quint16(rig.outputs.oscInPort());
        QVERIFY(port > 0);
        rig.settings.sync();
    }
    {
        Rig rig(settings);
        rig.outputs.restore();
        QVERIFY(rig.outputs.oscInListening());
        QCOMPARE(rig.outputs.oscInPort(), int(port));
        rig.outputs.stopOscIn();
        rig.settings.sync();
    }
    Rig rig(settings);
    rig.outputs.restore();
    QVERIFY(!rig.outputs.oscInListening());
}

void TestOutputsController::oscCommandsGoThroughTheCommandController()
{
    QTemporaryDir dir;
    Rig rig(dir.filePath(QStringLiteral("settings.ini")));
    QVERIFY(rig.outputs.listenOscIn(0));
    Test::UdpListener controller;
    const auto send = [&](const QStringList &args) {
        Osc::Message message {ShowControl::commandAddress(), {}};
        for (const QString &arg : args)
            message.arguments.append(Osc::Argument::string(arg));
        controller.socket().writeDatagram(Osc::encode(message), QHostAddress::LocalHost,
                                          quint16(rig.outputs.oscInPort()));
    };
    const auto results = [&] {
        QStringList out;
        for (const Osc::Message &message : controller.withAddress(ShowControl::resultAddress()))
            out << QString::fromUtf8(message.arguments.value(0).bytes());
        return out;
    };

    send({QStringLiteral("00ab"), QStringLiteral("led"), QStringLiteral("00ff00")});
    QTRY_COMPARE(results(), QStringList {QStringLiteral("cmd 00ab led: success")});
    QCOMPARE(rig.transport.sent(), QStringList {QStringLiteral("cmd:00ab:led:00ff00")});
    QCOMPARE(rig.commands.history()->rowCount(), 1); // in the command panel's history too

    send({QStringLiteral("all"), QStringLiteral("reset")});
    QTRY_VERIFY2(results().contains(QStringLiteral("cmd all reset: sent_to_2_devices")),
                 qPrintable(results().join(u'\n')));

    rig.transport.setReady(false);
    send({QStringLiteral("00ab"), QStringLiteral("status")});
    QTRY_VERIFY2(results().contains(QStringLiteral("cmd 00ab status: refused: Not connected to a relay")),
                 qPrintable(results().join(u'\n')));
    QCOMPARE(rig.transport.sent().size(), 2);
}

QTEST_GUILESS_MAIN(TestOutputsController)

#include "tst_outputscontroller.moc"
