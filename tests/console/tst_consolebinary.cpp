// grouploop-console as a program: --screenshot writes a real PNG, start-up picks the right
// relay (built-in, an existing GroupLoop relay, or a free port when something else holds the
// port), and bad flags get a clear message and exit code 2; and when it joined a relay already
// on the port, the user's other choice: the built-in relay on another port, connected to.
#include "builtinrelay.h"
#include "consoleoptions.h"
#include "devicestore.h"
#include "relayclient.h"
#include "relayserver.h"

#include <QImage>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;

namespace {
RelayConfig relayOn(const QHostAddress &host, quint16 port)
{
    RelayConfig config;
    config.host = host;
    config.port = port;
    return config;
}

struct Run
{
    int exitCode = -1;
    QString out;
};

Run runConsole(const QStringList &arguments, int timeoutMs = 30000)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    static QTemporaryDir config;
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path()); // never touch the user's settings
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromLocal8Bit(process.readAll())};
}
} // namespace

class TestConsoleBinary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void screenshotIsARealPicture();
    void joinsAnExistingGroupLoopRelay();
    void movesAsideWhenThePortIsTaken();
    void startsItsOwnRelayWhenAsked();
    void badFlagsAreExplained_data();
    void badFlagsAreExplained();
    void optionsParse();
    void helpShowsEveryDefault();
};

void TestConsoleBinary::screenshotIsARealPicture()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("console.png"));
    const Run run
        = runConsole({QStringLiteral("--relay-port"), QStringLiteral("0"), QStringLiteral("--screenshot"),
                      file, QStringLiteral("--screenshot-delay"), QStringLiteral("800")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Built-in relay listening")), qPrintable(run.out));
    QImage image(file);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 1000 && image.height() >= 600);
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));
}

void TestConsoleBinary::joinsAnExistingGroupLoopRelay()
{
    RelayServer relay(relayOn(QHostAddress::Any, 0));
    QVERIFY(relay.listen());
    QTemporaryDir dir;
    // The relay runs in this process: serve it while the console probes it.
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY),
                  {QStringLiteral("--relay-port"), QString::number(relay.serverPort()),
                   QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png")),
                   QStringLiteral("--screenshot-delay"), QStringLiteral("1500")});
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, 30000);
    const QString out = QString::fromLocal8Bit(process.readAll());
    QVERIFY2(process.exitCode() == 0, qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("already served by a GroupLoop relay")), qPrintable(out));
}

void TestConsoleBinary::movesAsideWhenThePortIsTaken()
{
    QTcpServer squatter; // accepts connections, never answers HTTP
    QVERIFY(squatter.listen(QHostAddress::Any));
    const Run run
        = runConsole({QStringLiteral("--relay-port"), QString::number(squatter.serverPort()),
                      QStringLiteral("--screenshot"), QDir::temp().filePath(QStringLiteral("glc-aside.png")),
                      QStringLiteral("--screenshot-delay"), QStringLiteral("300")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("built-in relay listening on port")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Port %1 is unavailable").arg(squatter.serverPort())),
             qPrintable(run.out));
}

void TestConsoleBinary::startsItsOwnRelayWhenAsked()
{
    // A GroupLoop relay already on the port, in this process: it answers the probe meanwhile.
    RelayServer existing(relayOn(QHostAddress::LocalHost, 0));
    QVERIFY(existing.listen());
    const quint16 taken = existing.serverPort();

    DeviceStore store;
    RelayClient client(&store);
    BuiltInRelay builtIn(&client);
    const RelayHost::Result result = builtIn.start(relayOn(QHostAddress::LocalHost, taken));
    QCOMPARE(result.outcome, RelayHost::Outcome::UsingExisting);
    QVERIFY(builtIn.canStartOwn());
    QCOMPARE(builtIn.port(), 0);
    QVERIFY2(builtIn.notice().contains(
                 QStringLiteral("Port %1 is already served by a GroupLoop relay").arg(taken)),
             qPrintable(builtIn.notice()));
    client.connectTo(result.url);
    QTRY_COMPARE_WITH_TIMEOUT(existing.stats().subscribers, 1, 20000);

    QSignalSpy moved(&builtIn, &BuiltInRelay::moved);
    QVERIFY(builtIn.startOnOtherPort());
    const int own = builtIn.port();
    QVERIFY2(own > 0 && own != taken, qPrintable(QString::number(own)));
    QVERIFY(!builtIn.canStartOwn()); // the choice is made
    QVERIFY(builtIn.notice().isEmpty());
    QCOMPARE(moved.count(), 1);
    QVERIFY2(moved.at(0).at(2).toString().contains(QStringLiteral("port %1 stays").arg(taken)),
             qPrintable(moved.at(0).at(2).toString()));
    QCOMPARE(client.url().port(), own);
    // The console left the relay that was there and subscribed to its own.
    QTRY_COMPARE_WITH_TIMEOUT(existing.stats().subscribers, 0, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), RelayClient::Subscribed, 20000);
    QCOMPARE(client.url().port(), own);
    QVERIFY(!builtIn.startOnOtherPort()); // offered once
    client.disconnectFromRelay();
}

void TestConsoleBinary::badFlagsAreExplained_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("http url") << QStringList {QStringLiteral("--url"), QStringLiteral("http://host:5003")}
                              << QStringLiteral("must start with ws:// or wss://");
    QTest::newRow("no host") << QStringList {QStringLiteral("--url"), QStringLiteral("ws://")}
                             << QStringLiteral("--url");
    QTest::newRow("port") << QStringList {QStringLiteral("--relay-port"), QStringLiteral("99999")}
                          << QStringLiteral("is not a port number");
    QTest::newRow("both") << QStringList {QStringLiteral("--url"), QStringLiteral("ws://h:1"),
                                          QStringLiteral("--relay-port"), QStringLiteral("5003")}
                          << QStringLiteral("cannot be combined");
    QTest::newRow("view") << QStringList {QStringLiteral("--view"), QStringLiteral("nope")}
                          << QStringLiteral("--view");
    QTest::newRow("unknown") << QStringList {QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
    QTest::newRow("replay missing") << QStringList {QStringLiteral("--replay"),
                                                    QStringLiteral("/nonexistent/x.session")}
                                    << QStringLiteral("--replay: /nonexistent/x.session: no such file");
    QTest::newRow("replay not a session")
        << QStringList {QStringLiteral("--replay"), QStringLiteral(GROUPLOOP_CONSOLE_BINARY)}
        << QStringLiteral(":1: not a GroupLoop session file");
    QTest::newRow("record nowhere") << QStringList {QStringLiteral("--relay-port"), QStringLiteral("0"),
                                                    QStringLiteral("--record"),
                                                    QStringLiteral("/nonexistent/x.session")}
                                    << QStringLiteral("--record: /nonexistent/x.session: cannot create");
}

void TestConsoleBinary::badFlagsAreExplained()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runConsole(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.contains(message), qPrintable(run.out));
}

void TestConsoleBinary::optionsParse()
{
    ConsoleOptions options;
    QString error;
    QCOMPARE(
        options.parse({QStringLiteral("c"), QStringLiteral("--url"), QStringLiteral("wss://relay.example/ws"),
                       QStringLiteral("--view"), QStringLiteral("Log"), QStringLiteral("--stale-ms"),
                       QStringLiteral("9000"), QStringLiteral("--forget-ms"), QStringLiteral("3000")},
                      &error),
        ConsoleOptions::Outcome::Run);
    QCOMPARE(options.url, QUrl(QStringLiteral("wss://relay.example/ws")));
    QCOMPARE(options.view, QStringLiteral("log"));
    QCOMPARE(options.forgetAfterMs, 3000);
    QCOMPARE(options.staleAfterMs, 3000); // never greyed after it is gone
    ConsoleOptions defaults;
    QCOMPARE(defaults.parse({QStringLiteral("c")}, &error), ConsoleOptions::Outcome::Run);
    QCOMPARE(defaults.relayPort, quint16(5003));
    QVERIFY(defaults.url.isEmpty());
}

// --help names each option's default, and the defaults it names are the ones the console uses.
void TestConsoleBinary::helpShowsEveryDefault()
{
    const Run run = runConsole({QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    // One entry per option: its first line names it, wrapped lines are indented further.
    static const QRegularExpression optionName(QStringLiteral("^\\s+(?:-\\w, )?(--[a-z-]+)"));
    QMap<QString, QString> entries;
    QString current;
    for (const QString &line : run.out.split(QLatin1Char('\n'))) {
        const QRegularExpressionMatch match = optionName.match(line);
        if (match.hasMatch()) {
            current = match.captured(1);
            entries[current] = line.trimmed();
        } else if (!current.isEmpty() && line.startsWith(QStringLiteral("   "))
                   && !line.trimmed().isEmpty()) {
            entries[current] += QLatin1Char(' ') + line.trimmed();
        } else {
            current.clear();
        }
    }
    const QStringList options = {QStringLiteral("--url"),        QStringLiteral("--relay-port"),
                                 QStringLiteral("--token"),      QStringLiteral("--token-file"),
                                 QStringLiteral("--ca-file"),    QStringLiteral("--demo"),
                                 QStringLiteral("--replay"),     QStringLiteral("--record"),
                                 QStringLiteral("--screenshot"), QStringLiteral("--screenshot-delay"),
                                 QStringLiteral("--view"),       QStringLiteral("--theme"),
                                 QStringLiteral("--stale-ms"),   QStringLiteral("--forget-ms")};
    for (const QString &option : options)
        QVERIFY2(entries.contains(option), qPrintable(option + QStringLiteral(" missing from:\n") + run.out));
    const QStringList noDefault
        = {QStringLiteral("--help"), QStringLiteral("--help-all"), QStringLiteral("--version")};
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) // options added later too
        QVERIFY2(noDefault.contains(it.key()) || it.value().contains(QStringLiteral("(default: ")),
                 qPrintable(it.value()));
    const ConsoleOptions defaults;
    const auto says = [&](const QString &option, int value) {
        return entries[option].contains(QStringLiteral("(default: %1)").arg(value));
    };
    QVERIFY2(says(QStringLiteral("--relay-port"), defaults.relayPort),
             qPrintable(entries[QStringLiteral("--relay-port")]));
    QVERIFY2(says(QStringLiteral("--screenshot-delay"), defaults.screenshotDelayMs),
             qPrintable(entries[QStringLiteral("--screenshot-delay")]));
    QVERIFY2(says(QStringLiteral("--stale-ms"), defaults.staleAfterMs),
             qPrintable(entries[QStringLiteral("--stale-ms")]));
    QVERIFY2(says(QStringLiteral("--forget-ms"), defaults.forgetAfterMs),
             qPrintable(entries[QStringLiteral("--forget-ms")]));
}

QTEST_GUILESS_MAIN(TestConsoleBinary)
#include "tst_consolebinary.moc"
