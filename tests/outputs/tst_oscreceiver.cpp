// OSC in for show control: parsing /grouploop/cmd and /grouploop/select, the ota refusal, the
// registry gate (built in or injected), and the whole exchange over UDP on loopback with the
// /grouploop/result replies.
#include "osccommandreceiver.h"
#include "oscwriter.h"
#include "sensorframe.h"
#include "udplistener.h"

#include <QSignalSpy>
#include <QTest>

using namespace GroupLoop;
using GroupLoop::Test::UdpListener;
using Osc::Argument;

Q_DECLARE_METATYPE(Osc::Message)

namespace {
Osc::Message message(const QByteArray &address, QList<Argument> arguments)
{
    return Osc::Message {address, std::move(arguments)};
}

Argument text(const char *value)
{
    return Argument::string(QByteArray(value));
}

class RefuseEverything : public CommandGate
{
public:
    std::optional<QString> rejection(const QString &command, const QString &) const override
    {
        return QStringLiteral("%1 is not in this show").arg(command);
    }
};
} // namespace

class TestOscReceiver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseRequests_data();
    void parseRequests();
    void registryGate();
    void commandOverUdp();
    void selectionOverUdp();
    void otaIsRefusedOverUdp();
    void registryRefusalIsAnswered();
    void injectedGate();
    void nobodyToCarryItOut();
    void malformedAndUnknownAreAnswered();
    void bundlesCarrySeveralRequests();
    void unansweredRequestsExpire();
    void portInUseIsAStatus();
};

void TestOscReceiver::parseRequests_data()
{
    QTest::addColumn<Osc::Message>("input");
    QTest::addColumn<QString>("expected"); // "cmd target|command|params", "select ids", or the error
    QTest::addRow("led") << message("/grouploop/cmd", {text("00AB"), text("led"), text("00ff00")})
                         << "cmd 00ab|led|00ff00";
    QTest::addRow("all, no params") << message("/grouploop/cmd", {text("all"), text("reset")})
                                    << "cmd all|reset|";
    QTest::addRow("params joined") << message(
        "/grouploop/cmd", {text("00ab"), text("led_set"), Argument::int32(2), text("00ff00")})
                                   << "cmd 00ab|led_set|2:00ff00";
    QTest::addRow("numbers as text") << message("/grouploop/cmd",
                                                {text("all"), text("brightness"), Argument::float32(128.0f)})
                                     << "cmd all|brightness|128";
    QTest::addRow("symbol command") << message(
        "/grouploop/cmd", {text("all"), Argument::symbol("vibrate"), Argument::int64(300)})
                                    << "cmd all|vibrate|300";
    QTest::addRow("too few") << message("/grouploop/cmd", {text("all")})
                             << "/grouploop/cmd needs <target> <command> [<params>...]";
    QTest::addRow("bad target") << message("/grouploop/cmd", {text("kitchen"), text("led"), text("ff0000")})
                                << "target \"kitchen\" is neither all nor a device id (4 hex digits)";
    QTest::addRow("numeric target") << message("/grouploop/cmd",
                                               {Argument::int32(12), text("led"), text("ff0000")})
                                    << "target \"12\" is neither all nor a device id (4 hex digits)";
    QTest::addRow("colon in command") << message("/grouploop/cmd", {text("all"), text("led:ff0000")})
                                      << "command \"led:ff0000\" is empty or has a ':'";
    QTest::addRow("ota") << message("/grouploop/cmd", {text("all"), text("ota"), text("http://x/fw.bin")})
                         << "refused: ota is not accepted over OSC";
    QTest::addRow("OTA") << message("/grouploop/cmd", {text("00ab"), text("OTA"), text("http://x/fw.bin")})
                         << "refused: ota is not accepted over OSC";
    QTest::addRow("blob param") << message("/grouploop/cmd", {text("all"), text("led"), Argument::blob("x")})
                                << "argument 3 has OSC type 'b'; commands take strings and numbers";
    QTest::addRow("newline param") << message("/grouploop/cmd",
                                              {text("all"), text("led"), text("00ff00\ncmd:all:ota")})
                                   << "argument 3 has a control character";
    QTest::addRow("select") << message("/grouploop/select", {text("00ab"), text("BEEF"), text("00ab")})
                            << "select 00ab beef";
    QTest::addRow("select none") << message("/grouploop/select", {}) << "select";
    QTest::addRow("select bad id") << message("/grouploop/select", {text("00ab"), text("12345")})
                                   << "argument 2 \"12345\" is not a device id (4 hex digits)";
    QTest::addRow("unknown address") << message(
        "/grouploop/go",
        {}) << "unknown address /grouploop/go (this port takes /grouploop/cmd and /grouploop/select)";
}

void TestOscReceiver::parseRequests()
{
    QFETCH(Osc::Message, input);
    QFETCH(QString, expected);
    QString error;
    const auto request = ShowControl::parse(input, &error);
    if (!request) {
        QCOMPARE(error, expected);
        return;
    }
    QString got;
    if (request->kind == ShowRequest::Kind::Command) {
        got = QStringLiteral("cmd %1|%2|%3").arg(request->target, request->command, request->params);
    } else {
        got = QStringLiteral("select");
        for (quint16 id : request->ids)
            got += u' ' + SensorFrame::idToText(id);
    }
    QCOMPARE(got, expected);
}

void TestOscReceiver::registryGate()
{
    const RegistryCommandGate gate;
    QVERIFY(!gate.rejection(QStringLiteral("led"), QStringLiteral("00ff00")));
    QCOMPARE(gate.rejection(QStringLiteral("led"), QString()),
             QStringLiteral("Command led requires parameters: ['color']"));
    QCOMPARE(gate.rejection(QStringLiteral("dance"), QString()), QStringLiteral("Unknown command: dance"));
}

void TestOscReceiver::commandOverUdp()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    QCOMPARE(receiver.statusText(), QStringLiteral("listening on 127.0.0.1:%1").arg(receiver.port()));
    QSignalSpy commands(&receiver, &OscCommandReceiver::commandRequested);
    UdpListener controller;
    controller.socket().writeDatagram(
        Osc::encode(message("/grouploop/cmd", {text("00ab"), text("led"), text("00ff00")})),
        QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(commands.size(), 1, 10000);
    QCOMPARE(commands[0].value(1).toString(), QStringLiteral("00ab"));
    QCOMPARE(commands[0].value(2).toString(), QStringLiteral("led"));
    QCOMPARE(commands[0].value(3).toString(), QStringLiteral("00ff00"));
    QCOMPARE(receiver.pendingRequests(), 1);
    receiver.reply(commands[0].value(0).toInt(), QStringLiteral("success"));
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(controller.messages[0], ShowControl::result(QStringLiteral("cmd 00ab led: success")));
    QCOMPARE(receiver.pendingRequests(), 0);
    receiver.reply(commands[0].value(0).toInt(), QStringLiteral("again")); // answered already: nothing
    QTest::qWait(50);
    QCOMPARE(controller.messages.size(), 1);
    QCOMPARE(receiver.stats().commands, quint64(1));
}

void TestOscReceiver::selectionOverUdp()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    QList<quint16> selected;
    connect(&receiver, &OscCommandReceiver::selectionRequested, this, [&](int id, const QList<quint16> &ids) {
        selected = ids;
        receiver.reply(id, QStringLiteral("%1 devices").arg(ids.size()));
    });
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(message("/grouploop/select", {text("0001"), text("0002")})),
                                      QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(selected, (QList<quint16> {1, 2}));
    QCOMPARE(controller.messages[0], ShowControl::result(QStringLiteral("select: 2 devices")));
}

void TestOscReceiver::otaIsRefusedOverUdp()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    // Even a gate that allows everything does not let ota through.
    class AllowEverything : public CommandGate
    {
    public:
        std::optional<QString> rejection(const QString &, const QString &) const override
        {
            return std::nullopt;
        }
    };
    receiver.setGate(std::make_shared<AllowEverything>());
    QSignalSpy commands(&receiver, &OscCommandReceiver::commandRequested);
    QSignalSpy problems(&receiver, &OscCommandReceiver::problem);
    UdpListener controller;
    controller.socket().writeDatagram(
        Osc::encode(message("/grouploop/cmd", {text("all"), text("ota"), text("http://h/x.bin")})),
        QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(controller.messages[0],
             ShowControl::result(QStringLiteral("cmd: refused: ota is not accepted over OSC")));
    QCOMPARE(commands.size(), 0);
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems[0].value(0).toString().endsWith(
        QStringLiteral("cmd: refused: ota is not accepted over OSC")));
    QCOMPARE(receiver.stats().refused, quint64(1));
}

void TestOscReceiver::registryRefusalIsAnswered()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    QSignalSpy commands(&receiver, &OscCommandReceiver::commandRequested);
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(message("/grouploop/cmd", {text("00ab"), text("led")})),
                                      QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(controller.messages[0],
             ShowControl::result(
                 QStringLiteral("cmd 00ab led: refused: Command led requires parameters: ['color']")));
    QCOMPARE(commands.size(), 0);
}

void TestOscReceiver::injectedGate()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    receiver.setGate(std::make_shared<RefuseEverything>());
    QSignalSpy commands(&receiver, &OscCommandReceiver::commandRequested);
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(message("/grouploop/cmd", {text("all"), text("reset")})),
                                      QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(controller.messages[0],
             ShowControl::result(QStringLiteral("cmd all reset: refused: reset is not in this show")));
    QCOMPARE(commands.size(), 0);
}

void TestOscReceiver::nobodyToCarryItOut()
{
    OscCommandReceiver receiver; // no signal connected
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(message("/grouploop/cmd", {text("all"), text("reset")})),
                                      QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(controller.messages[0],
             ShowControl::result(QStringLiteral("cmd all reset: refused: nothing here carries it out")));
    QCOMPARE(receiver.pendingRequests(), 0);
}

void TestOscReceiver::malformedAndUnknownAreAnswered()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    UdpListener controller;
    controller.socket().writeDatagram(QByteArray("hello"), QHostAddress::LocalHost, receiver.port());
    controller.socket().writeDatagram(Osc::encode(message("/cue/1/go", {})), QHostAddress::LocalHost,
                                      receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 2, 10000);
    QCOMPARE(controller.messages[0],
             ShowControl::result(
                 QStringLiteral("error: not an OSC packet: byte 0: size 5 is not a multiple of 4")));
    QCOMPARE(controller.messages[1],
             ShowControl::result(QStringLiteral(
                 "error: unknown address /cue/1/go (this port takes /grouploop/cmd and /grouploop/select)")));
    QCOMPARE(receiver.stats().malformed, quint64(1));
    QCOMPARE(receiver.stats().refused, quint64(1));
    QCOMPARE(receiver.stats().datagrams, quint64(2));
}

void TestOscReceiver::bundlesCarrySeveralRequests()
{
    OscCommandReceiver receiver;
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    QStringList seen;
    connect(&receiver, &OscCommandReceiver::commandRequested, this,
            [&](int id, const QString &target, const QString &command, const QString &params) {
                seen.append(target + u' ' + command + u' ' + params);
                receiver.reply(id, QStringLiteral("ok"));
            });
    connect(&receiver, &OscCommandReceiver::selectionRequested, this, [&](int id, const QList<quint16> &ids) {
        seen.append(QStringLiteral("select %1").arg(ids.size()));
        receiver.reply(id, QStringLiteral("ok"));
    });
    const Osc::Packet bundle = Osc::Packet::bundle(
        Osc::TimeTag::fromMsecsSinceEpoch(4102444800000), // far in the future: run anyway, on arrival
        {Osc::Packet::fromMessage(message("/grouploop/select", {text("0001")})),
         Osc::Packet::fromMessage(message("/grouploop/cmd", {text("0001"), text("led"), text("ff0000")})),
         Osc::Packet::fromMessage(
             message("/grouploop/cmd", {text("all"), text("pattern"), text("breathing")}))});
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(bundle), QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 3, 10000);
    QCOMPARE(seen,
             (QStringList {QStringLiteral("select 1"), QStringLiteral("0001 led ff0000"),
                           QStringLiteral("all pattern breathing")}));
}

void TestOscReceiver::unansweredRequestsExpire()
{
    OscCommandReceiver receiver;
    receiver.setAnswerTimeoutMs(300);
    QVERIFY(receiver.listen(0, QHostAddress::LocalHost));
    QSignalSpy commands(&receiver, &OscCommandReceiver::commandRequested); // connected, never answers
    UdpListener controller;
    controller.socket().writeDatagram(Osc::encode(message("/grouploop/cmd", {text("00ab"), text("reset")})),
                                      QHostAddress::LocalHost, receiver.port());
    QTRY_COMPARE_WITH_TIMEOUT(controller.messages.size(), 1, 10000);
    QCOMPARE(commands.size(), 1);
    QCOMPARE(controller.messages[0],
             ShowControl::result(QStringLiteral("cmd 00ab reset: no answer within 300 ms")));
    QCOMPARE(receiver.pendingRequests(), 0);
}

void TestOscReceiver::portInUseIsAStatus()
{
    QUdpSocket holder;
    QVERIFY(holder.bind(QHostAddress::LocalHost, 0));
    OscCommandReceiver receiver;
    QSignalSpy status(&receiver, &OscCommandReceiver::statusChanged);
    QVERIFY(!receiver.listen(holder.localPort(), QHostAddress::LocalHost));
    QVERIFY(!receiver.isListening());
    QVERIFY2(receiver.statusText().startsWith(
                 QStringLiteral("error: cannot listen on 127.0.0.1:%1: ").arg(holder.localPort())),
             qPrintable(receiver.statusText()));
    QCOMPARE(status.size(), 1);
}

QTEST_GUILESS_MAIN(TestOscReceiver)
#include "tst_oscreceiver.moc"
