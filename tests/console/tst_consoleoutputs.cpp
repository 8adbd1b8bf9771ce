// grouploop-console's outputs as a show machine uses them (docs/outputs.md): --osc-out streams
// the default OSC scheme of a --demo swarm to a UDP socket here, --mappings loads an outputs
// file whose destination and mapping come back after a restart without the flag, and --osc-in
// turns /grouploop/cmd into a relay command a device here receives, answered with
// /grouploop/result to the sender; /grouploop/select sets the selection; ota is refused.
#include "oscwriter.h"
#include "relayserver.h"
#include "showcontrol.h"
#include "udplistener.h"

#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace GroupLoop;

namespace {
class Console
{
public:
    Console(const QString &configHome, const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome); // never the user's settings
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY), arguments);
        m_process.waitForStarted(10000);
    }
    ~Console() { stop(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    // The exit code once it ends by itself (-1 if it had to be killed).
    int finish(int timeoutMs = 30000)
    {
        if (!m_process.waitForFinished(timeoutMs))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QString output() { return m_out += QString::fromLocal8Bit(m_process.readAll()); }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

private:
    QProcess m_process;
    QString m_out;
};

// Devices whose /grouploop/<id>/accel came with three floats.
QSet<QByteArray> accelIds(const Test::UdpListener &listener)
{
    QSet<QByteArray> ids;
    for (const Osc::Message &message : listener.messages) {
        const QList<QByteArray> parts = message.address.split('/');
        if (parts.size() == 4 && parts[1] == "grouploop" && parts[3] == "accel"
            && message.typeTags() == ",fff")
            ids.insert(parts[2]);
    }
    return ids;
}

int countWithPrefix(const Test::UdpListener &listener, const QByteArray &prefix)
{
    int n = 0;
    for (const Osc::Message &message : listener.messages)
        n += message.address.startsWith(prefix) ? 1 : 0;
    return n;
}

quint16 freeUdpPort()
{
    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    return probe.localPort();
}
} // namespace

class TestConsoleOutputs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoStreamsAndTheOutputsFileSurvivesARestart();
    void oscInCommandsADeviceAndSetsTheSelection();
    void badOutputsFlagsAreExplained();
};

void TestConsoleOutputs::demoStreamsAndTheOutputsFileSurvivesARestart()
{
    QTemporaryDir config;
    Test::UdpListener fromFlag; // --osc-out: this run only
    Test::UdpListener fromFile; // the outputs file's destination
    const QString file = config.filePath(QStringLiteral("show.json"));
    QFile json(file);
    QVERIFY(json.open(QIODevice::WriteOnly));
    json.write(QStringLiteral(R"({"format": "grouploop-outputs", "version": 1,
        "osc": {"destinations": [{"host": "127.0.0.1", "port": %1, "defaultScheme": false}]},
        "midi": {"enabled": true, "port": ""},
        "mappings": [{"name": "tilt", "source": "roll", "target": {"kind": "osc", "address": "/tilt/{id}"}}]})")
                   .arg(fromFile.port())
                   .toUtf8());
    json.close();

    {
        Console console(config.path(),
                        {QStringLiteral("--relay-port"), QStringLiteral("0"), QStringLiteral("--demo"),
                         QStringLiteral("20"), QStringLiteral("--mappings"), file,
                         QStringLiteral("--osc-out"), QStringLiteral("127.0.0.1:%1").arg(fromFlag.port())});
        QTRY_VERIFY2_WITH_TIMEOUT(accelIds(fromFlag).size() == 20 || !console.running(),
                                  qPrintable(console.output()), 60000);
        QVERIFY2(console.running(), qPrintable(console.output()));
        QVERIFY(!fromFlag.withAddress("/grouploop/devices").isEmpty());
        QVERIFY(countWithPrefix(fromFlag, "/tilt/") > 0); // --osc-out takes the mappings too
        QTRY_VERIFY_WITH_TIMEOUT(countWithPrefix(fromFile, "/tilt/") > 0, 10000);
        QCOMPARE(countWithPrefix(fromFile, "/grouploop/"), 0); // defaultScheme false
        QVERIFY(fromFlag.errors.isEmpty() && fromFile.errors.isEmpty());
        // No /dev/snd/seq here: MIDI is a status line, never a reason to stop.
        QVERIFY2(console.running(), qPrintable(console.output()));
    }

    // Restarted without --mappings and --osc-out: the file used last comes back, the flag's
    // destination does not.
    fromFlag.clear();
    fromFile.clear();
    Console again(
        config.path(),
        {QStringLiteral("--relay-port"), QStringLiteral("0"), QStringLiteral("--demo"), QStringLiteral("3")});
    QTRY_VERIFY2_WITH_TIMEOUT(countWithPrefix(fromFile, "/tilt/") > 0 || !again.running(),
                              qPrintable(again.output()), 60000);
    QVERIFY2(again.running(), qPrintable(again.output()));
    QTest::qWait(500);
    QCOMPARE(fromFlag.messages.size(), 0);
}

void TestConsoleOutputs::oscInCommandsADeviceAndSetsTheSelection()
{
    RelayConfig relayConfig;
    relayConfig.host = QHostAddress::LocalHost;
    relayConfig.port = 0;
    RelayServer relay(relayConfig);
    QVERIFY(relay.listen());

    // A device on the relay: streams frames, keeps what it is told.
    QWebSocket device;
    QStringList deviceGot;
    connect(&device, &QWebSocket::textMessageReceived, this, [&](const QString &text) { deviceGot << text; });
    device.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(relay.serverPort())));
    QTRY_VERIFY_WITH_TIMEOUT(device.state() == QAbstractSocket::ConnectedState, 10000);
    QTimer frames;
    connect(&frames, &QTimer::timeout, this,
            [&] { device.sendTextMessage(QStringLiteral("00ab8080bf1020304000\n")); });
    frames.start(100);

    QTemporaryDir config;
    const quint16 oscIn = freeUdpPort();
    Console console(config.path(),
                    {QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:%1").arg(relay.serverPort()),
                     QStringLiteral("--osc-in"), QString::number(oscIn)});
    Test::UdpListener controller; // the show controller: sends from here, gets the results here
    const auto send = [&](const QByteArray &address, const QStringList &args) {
        Osc::Message message {address, {}};
        for (const QString &arg : args)
            message.arguments.append(Osc::Argument::string(arg));
        controller.socket().writeDatagram(Osc::encode(message), QHostAddress::LocalHost, oscIn);
    };
    const auto results = [&] {
        QStringList out;
        for (const Osc::Message &message : controller.withAddress(ShowControl::resultAddress()))
            out << QString::fromUtf8(message.arguments.value(0).bytes());
        return out;
    };

    // Until the console has heard the device, selecting it selects nothing.
    QTRY_VERIFY2_WITH_TIMEOUT(
        [&] {
            if (results().contains(QStringLiteral("select: selected 1")))
                return true;
            send("/grouploop/select", {QStringLiteral("00ab")});
            return false;
        }() || !console.running(),
        qPrintable(console.output() + results().join(u'\n')), 30000);
    QVERIFY2(console.running(), qPrintable(console.output()));

    send("/grouploop/cmd", {QStringLiteral("00ab"), QStringLiteral("led"), QStringLiteral("00ff00")});
    QTRY_VERIFY_WITH_TIMEOUT(deviceGot.contains(QStringLiteral("led:00ff00")), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(results().contains(QStringLiteral("cmd 00ab led: success")),
                              qPrintable(results().join(u'\n')), 10000);

    send("/grouploop/cmd", {QStringLiteral("00ab"), QStringLiteral("ota"), QStringLiteral("http://h/x.bin")});
    send("/grouploop/cmd", {QStringLiteral("00ab"), QStringLiteral("dance")});
    send("/grouploop/cmd", {QStringLiteral("beef"), QStringLiteral("reset")});
    QTRY_VERIFY2_WITH_TIMEOUT(
        results().contains(QStringLiteral("cmd 00ab dance: refused: Unknown command: dance"))
            && results().contains(QStringLiteral("cmd beef reset: failed")),
        qPrintable(results().join(u'\n')), 10000);
    bool otaRefused = false;
    for (const QString &result : results())
        otaRefused |= result.contains(QStringLiteral("ota is not accepted over OSC"));
    QVERIFY2(otaRefused, qPrintable(results().join(u'\n')));
    QTest::qWait(300);
    for (const QString &text : std::as_const(deviceGot))
        QVERIFY2(!text.startsWith(QStringLiteral("ota")) && !text.startsWith(QStringLiteral("dance")),
                 qPrintable(text));
}

void TestConsoleOutputs::badOutputsFlagsAreExplained()
{
    QTemporaryDir config;
    const QString missing = config.filePath(QStringLiteral("nothing.json"));
    const QList<QPair<QStringList, QString>> cases {
        {{QStringLiteral("--osc-out"), QStringLiteral("localhost")},
         QStringLiteral("--osc-out: \"localhost\": expected HOST:PORT")},
        {{QStringLiteral("--osc-out"), QStringLiteral("h:70000")},
         QStringLiteral("the port must be 1..65535")},
        {{QStringLiteral("--osc-in"), QStringLiteral("x")},
         QStringLiteral("--osc-in: 'x' is not a port number")},
        {{QStringLiteral("--mappings"), missing}, QStringLiteral("--mappings: ")},
    };
    for (const auto &[arguments, message] : cases) {
        Console console(config.path(),
                        QStringList {QStringLiteral("--relay-port"), QStringLiteral("0")} + arguments);
        QCOMPARE(console.finish(), 2);
        QVERIFY2(console.output().contains(message), qPrintable(console.output()));
    }
}

QTEST_GUILESS_MAIN(TestConsoleOutputs)

#include "tst_consoleoutputs.moc"
