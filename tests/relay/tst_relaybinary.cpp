// grouploop-relay as a user runs it: exit codes, one-line errors, env, signals, registry fetch.
#include "programs.h"
#include "relayprocess.h"
#include "relaytestclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>

#include <csignal>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {
ProgramRun runRelay(const QStringList &arguments)
{
    return run(relayBinary(), arguments, 5000);
}

// Starts the relay on a free loopback port with its log captured for the test to read.
bool startRelayProcess(RelayProcess &relay, QStringList arguments = {},
                       QProcessEnvironment environment = QProcessEnvironment::systemEnvironment())
{
    RelayProcess::Options options;
    options.arguments = arguments;
    options.output = RelayProcess::Output::Capture;
    environment.remove(u"QT_LOGGING_RULES"_qs); // it would override --log-level; the tests read the log
    options.environment = environment;
    QString error;
    const bool started = relay.start(options, &error);
    if (!started)
        qWarning("%s", qPrintable(error));
    return started;
}

// A one-shot HTTP server in the test that serves one body.
class TinyHttp : public QTcpServer
{
public:
    explicit TinyHttp(QByteArray body)
        : m_body(std::move(body))
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    ++requests;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                  + QByteArray::number(m_body.size()) + "\r\nConnection: close\r\n\r\n"
                                  + m_body);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    int requests = 0;

private:
    QByteArray m_body;
};
} // namespace

class TestRelayBinary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionAndHelp();
    void badFlagsAreOneLineErrors_data();
    void badFlagsAreOneLineErrors();
    void portInUseIsAnError();
    void missingCommandsFileIsAnError();
    void commandsFileIsMerged();
    void environmentSelectsPort();
    void sigtermClosesClientsWith1001();
    void commandsUrlIsFetchedInTheBackground();
    void jsonLogFormat();
    void textLogEscapesWhatPeersSend();
    void warnsWhenOpenBeyondLoopbackWithoutTokens();
};

void TestRelayBinary::versionAndHelp()
{
    const ProgramRun version = runRelay({u"--version"_qs});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out.trimmed(), u"grouploop-relay "_qs + QStringLiteral(GROUPLOOP_VERSION));
    const ProgramRun help = runRelay({u"--help"_qs});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"--allow-ota"));
    QVERIFY(help.out.contains(u"--max-frame-rate"));
}

void TestRelayBinary::badFlagsAreOneLineErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("unknown") << QStringList {u"--nope"_qs};
    QTest::newRow("port") << QStringList {u"--port"_qs, u"99999"_qs};
    QTest::newRow("limit") << QStringList {u"--max-message-bytes"_qs, u"lots"_qs};
}

void TestRelayBinary::badFlagsAreOneLineErrors()
{
    QFETCH(QStringList, arguments);
    const ProgramRun run = runRelay(arguments);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err.count(u'\n'), 1);
    QVERIFY2(run.err.startsWith(u"grouploop-relay: "), qPrintable(run.err));
}

void TestRelayBinary::portInUseIsAnError()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const ProgramRun run
        = runRelay({u"--host"_qs, u"127.0.0.1"_qs, u"--port"_qs, QString::number(occupant.serverPort())});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"cannot listen on 127.0.0.1:"), qPrintable(run.err));
    QCOMPARE(run.err.count(u'\n'), 1);
}

void TestRelayBinary::missingCommandsFileIsAnError()
{
    const ProgramRun run = runRelay({u"--port"_qs, u"0"_qs, u"--commands"_qs, u"/no/such/commands.json"_qs});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"/no/such/commands.json"), qPrintable(run.err));
}

void TestRelayBinary::commandsFileIsMerged()
{
    RelayProcess relay;
    QVERIFY(startRelayProcess(
        relay, {u"--commands"_qs, QStringLiteral(GROUPLOOP_TEST_DATA "/commands-extra.json")}));
    QWebSocket socket;
    QStringList received;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) { received.append(m); });
    socket.open(relay.url());
    QTRY_COMPARE(received.size(), 1);
    socket.sendTextMessage(u"cmd:all:strobe:5"_qs);
    socket.sendTextMessage(u"cmd:all:vibrate:100"_qs);
    QTRY_COMPARE(received.size(), 3);
    QCOMPARE(received.at(1), u"cmd:result:sent_to_0_devices"_qs);
    QCOMPARE(received.at(2), u"cmd:result:sent_to_0_devices"_qs);
    relay.process().terminate();
    QVERIFY(relay.process().waitForFinished(5000));
}

void TestRelayBinary::environmentSelectsPort()
{
    QProcess relay;
    const quint16 port = freePort();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"WS_HOST"_qs, u"127.0.0.1"_qs);
    environment.insert(u"WS_PORT"_qs, QString::number(port));
    relay.setProcessEnvironment(environment);
    relay.start(relayBinary(), QStringList {});
    QVERIFY(QTest::qWaitFor([&] { return portAccepts(port); }, 5000));
    relay.terminate();
    QVERIFY(relay.waitForFinished(5000));
    QCOMPARE(relay.exitCode(), 0);
}

void TestRelayBinary::sigtermClosesClientsWith1001()
{
    RelayProcess relay;
    QVERIFY(startRelayProcess(relay));
    QWebSocket socket;
    bool greeted = false;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&] { greeted = true; });
    socket.open(relay.url());
    QTRY_VERIFY(greeted);
    ::kill(pid_t(relay.pid()), SIGTERM);
    QTRY_COMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QVERIFY(relay.process().waitForFinished(5000));
    QCOMPARE(relay.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(relay.process().exitCode(), 0);
    const QString log = QString::fromUtf8(relay.process().readAllStandardError());
    QVERIFY2(log.contains(u"[CONNECT]") && log.contains(u"[DISCONNECT]"), qPrintable(log));
}

void TestRelayBinary::commandsUrlIsFetchedInTheBackground()
{
    QFile extra(QStringLiteral(GROUPLOOP_TEST_DATA "/commands-extra.json"));
    QVERIFY(extra.open(QIODevice::ReadOnly));
    TinyHttp hub(extra.readAll());
    RelayProcess relay;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"CLIENT_HUB_URL"_qs, QStringLiteral("http://127.0.0.1:%1").arg(hub.serverPort()));
    QVERIFY(startRelayProcess(relay, {}, environment));
    QTRY_COMPARE(hub.requests, 1);
    QWebSocket socket;
    QStringList received;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) { received.append(m); });
    socket.open(relay.url());
    QTRY_COMPARE(received.size(), 1);
    // The fetch lands shortly after the request; poll until strobe is known.
    QVERIFY(QTest::qWaitFor(
        [&] {
            received.clear();
            socket.sendTextMessage(u"cmd:all:strobe:5"_qs);
            return QTest::qWaitFor([&] { return !received.isEmpty(); }, 1000)
                && received.constFirst() == u"cmd:result:sent_to_0_devices";
        },
        5000));
    relay.process().terminate();
    QVERIFY(relay.process().waitForFinished(5000));
    QVERIFY(
        QString::fromUtf8(relay.process().readAllStandardError()).contains(u"[COMMANDS] fetched 2 commands"));
}

void TestRelayBinary::jsonLogFormat()
{
    RelayProcess relay;
    QVERIFY(startRelayProcess(relay, {u"--log-format"_qs, u"json"_qs}));
    TestClient client;
    client.socket.open(relay.url());
    QVERIFY(!client.next().isNull());
    client.socket.close();
    QTRY_VERIFY(client.closed);
    relay.process().terminate();
    QVERIFY(relay.process().waitForFinished(5000));
    const QList<QByteArray> lines = relay.process().readAllStandardError().split('\n');
    QStringList tags;
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QVERIFY2(object.contains(u"time"_qs) && object.contains(u"level"_qs)
                     && object.contains(u"category"_qs) && object.contains(u"message"_qs),
                 line.constData());
        tags << object.value(u"tag"_qs).toString();
    }
    QVERIFY2(tags.contains(u"START"_qs) && tags.contains(u"CONNECT"_qs) && tags.contains(u"DISCONNECT"_qs)
                 && tags.contains(u"STOP"_qs),
             qPrintable(tags.join(u',')));
}

void TestRelayBinary::textLogEscapesWhatPeersSend()
{
    // A close reason with CR, LF and an escape sequence lands in the [DISCONNECT] line: it must
    // not start a forged line of its own nor reach the terminal raw.
    RelayProcess relay;
    QVERIFY(startRelayProcess(relay));
    TestClient client;
    client.socket.open(relay.url());
    QVERIFY(!client.next().isNull());
    client.socket.close(QWebSocketProtocol::CloseCodeNormal, u"bye\r\n[CONNECT] #99 forged\x1b[2J"_qs);
    QTRY_VERIFY(client.closed);
    relay.process().terminate();
    QVERIFY(relay.process().waitForFinished(5000));
    const QByteArray log = relay.process().readAllStandardError();
    QVERIFY2(log.contains("reason=\"bye\\r\\n[CONNECT] #99 forged\\u001b[2J\""), log.constData());
    QVERIFY(!log.contains('\r') && !log.contains('\x1b'));
    for (const QByteArray &line : log.split('\n'))
        QVERIFY2(!line.contains("[CONNECT] #99") || line.contains("[DISCONNECT]"), line.constData());
}

void TestRelayBinary::warnsWhenOpenBeyondLoopbackWithoutTokens()
{
    // The warning comes in the same call as [START]; after the relay has stopped, all of it is read.
    auto startupLog = [](const QStringList &arguments) -> QString {
        QProcess relay;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"QT_LOGGING_RULES"_qs);
        relay.setProcessEnvironment(environment);
        relay.start(relayBinary(), QStringList {u"--port=0"_qs} + arguments);
        QString log;
        const bool started = QTest::qWaitFor(
            [&] {
                relay.waitForReadyRead(50);
                log += QString::fromUtf8(relay.readAllStandardError());
                return log.contains(u"[START]");
            },
            5000);
        relay.terminate();
        relay.waitForFinished(5000);
        return started ? log + QString::fromUtf8(relay.readAllStandardError())
                       : u"(no [START] within 5 s)"_qs;
    };
    const QString open = startupLog({u"--host=0.0.0.0"_qs});
    QVERIFY2(open.contains(u"warning: [SECURITY] listening on 0.0.0.0 without --token"), qPrintable(open));
    QVERIFY(!startupLog({u"--host=0.0.0.0"_qs, u"--token=t"_qs}).contains(u"[SECURITY]"));
    QVERIFY(!startupLog({u"--host=127.0.0.1"_qs}).contains(u"[SECURITY]"));
}

QTEST_MAIN(TestRelayBinary)
#include "tst_relaybinary.moc"
