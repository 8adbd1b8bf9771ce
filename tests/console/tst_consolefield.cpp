// grouploop-console in the field, as a user runs it (issue 19): against a real grouploop-relay
// with --token it subscribes, without one it stops at "token needed" after one refusal; over
// wss:// with --ca-file it subscribes; the token appears in none of its output; --help,
// --version and a bad flag work with no display; the window fits a 1280x720 screen.
#include "network.h"
#include "relayprocess.h"
#include "testcerts.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;
using Testing::RelayProcess;

namespace {
const QString Token = QStringLiteral("field-t0ken-7d1f");

// A console started like a user would, its settings in a directory of the test's own.
class Console
{
public:
    explicit Console(const QString &configDir, const QString &platform = QStringLiteral("offscreen"))
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), platform);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configDir);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
    }
    ~Console() { stop(); }
    void start(const QStringList &arguments)
    {
        m_process.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY), arguments);
    }
    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished();
            }
        }
        m_output += QString::fromLocal8Bit(m_process.readAll());
    }
    bool waitForExit(int timeoutMs) { return m_process.waitForFinished(timeoutMs); }
    QString output()
    {
        m_output += QString::fromLocal8Bit(m_process.readAll());
        return m_output;
    }
    int exitCode() const { return m_process.exitCode(); }

private:
    QProcess m_process;
    QString m_output;
};

int subscribers(const RelayProcess &relay)
{
    return relay.health().value(QStringLiteral("subscribers")).toInt();
}

QString relayLog(RelayProcess &relay)
{
    return QString::fromLocal8Bit(relay.process().readAllStandardOutput()
                                  + relay.process().readAllStandardError());
}

QStringList longRun(const QStringList &arguments)
{
    // --screenshot keeps the run bounded even if the test loses track of it.
    return arguments
        + QStringList {QStringLiteral("--screenshot"), QDir::temp().filePath(QStringLiteral("glc-field.png")),
                       QStringLiteral("--screenshot-delay"), QStringLiteral("60000")};
}
} // namespace

class TestConsoleField : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void terminalWithoutDisplay();
    void tokenFlagSubscribes();
    void missingTokenStopsAfterOneRefusal();
    void wssWithCaFileSubscribes();
    void windowFitsALaptopScreen();

private:
    QTemporaryDir m_config;
};

void TestConsoleField::terminalWithoutDisplay()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    const auto run = [&env](const QStringList &arguments, QString *out, QString *err) {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(GROUPLOOP_CONSOLE_BINARY), arguments);
        if (!process.waitForFinished(20000))
            process.kill();
        *out = QString::fromLocal8Bit(process.readAllStandardOutput());
        *err = QString::fromLocal8Bit(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    };
    QString out;
    QString err;
    QCOMPARE(run({QStringLiteral("--help")}, &out, &err), 0);
    QVERIFY2(out.startsWith(QStringLiteral("Usage: grouploop-console")), qPrintable(out));
    QVERIFY(out.contains(QStringLiteral("--token-file")) && out.contains(QStringLiteral("--ca-file")));
    QCOMPARE(run({QStringLiteral("--version")}, &out, &err), 0);
    QVERIFY(out.startsWith(QStringLiteral("grouploop-console ")));
    QCOMPARE(run({QStringLiteral("--no-such-flag")}, &out, &err), 2);
    QCOMPARE(err.count(QLatin1Char('\n')), 1); // one line, like the relay
    QVERIFY2(err.contains(QStringLiteral("no-such-flag")), qPrintable(err));
    QCOMPARE(run({QStringLiteral("--token-file"), QStringLiteral("/nonexistent/tokens")}, &out, &err), 2);
    QVERIFY2(err.contains(QStringLiteral("--token-file: cannot read")), qPrintable(err));
}

void TestConsoleField::tokenFlagSubscribes()
{
    RelayProcess relay;
    RelayProcess::Options options;
    options.arguments = {QStringLiteral("--token"), Token};
    options.output = RelayProcess::Output::Discard;
    QVERIFY(relay.start(options));
    QTemporaryDir dir;
    const QString tokenFile = dir.filePath(QStringLiteral("token"));
    QFile file(tokenFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# the room's controller token\n\n" + Token.toUtf8() + "\n");
    file.close();

    for (const QStringList &how : {QStringList {QStringLiteral("--token"), Token},
                                   QStringList {QStringLiteral("--token-file"), tokenFile}}) {
        Console console(m_config.path());
        console.start(longRun(QStringList {QStringLiteral("--url"), relay.url().toString()} + how));
        QTRY_COMPARE_WITH_TIMEOUT(subscribers(relay), 1, 30000);
        console.stop();
        QVERIFY2(!console.output().contains(Token), qPrintable(console.output()));
        QTRY_COMPARE_WITH_TIMEOUT(subscribers(relay), 0, 10000);
    }
}

void TestConsoleField::missingTokenStopsAfterOneRefusal()
{
    RelayProcess relay;
    RelayProcess::Options options;
    options.arguments = {QStringLiteral("--token"), Token};
    options.output = RelayProcess::Output::Capture;
    QVERIFY(relay.start(options));
    Console console(m_config.path());
    console.start(longRun({QStringLiteral("--url"), relay.url().toString()}));
    QTRY_VERIFY_WITH_TIMEOUT(console.output().contains(QStringLiteral("Token refused")), 30000);
    QTest::qWait(3000); // the old console made six attempts in this time
    QString log = relayLog(relay);
    QVERIFY2(log.count(QStringLiteral("[AUTH]")) <= 2, qPrintable(log));
    QVERIFY2(log.count(QStringLiteral("[AUTH]")) >= 1, qPrintable(log));
    QCOMPARE(subscribers(relay), 0);
    console.stop();
    QVERIFY(!console.output().contains(Token));
}

void TestConsoleField::wssWithCaFileSubscribes()
{
    QTemporaryDir dir;
    const Testing::TestCertificate certificate = Testing::makeSelfSigned();
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    QVERIFY(certificate.writeFiles(cert, dir.filePath(QStringLiteral("key.pem"))));
    const quint16 tlsPort = Testing::freePort();
    RelayProcess relay; // wss:// on tlsPort; /health stays on the plain port for the test
    RelayProcess::Options options;
    options.arguments = {QStringLiteral("--token"),    Token,
                         QStringLiteral("--tls-cert"), cert,
                         QStringLiteral("--tls-key"),  dir.filePath(QStringLiteral("key.pem")),
                         QStringLiteral("--tls-port"), QString::number(tlsPort)};
    options.output = RelayProcess::Output::Discard;
    QVERIFY(relay.start(options));
    QTRY_VERIFY(Testing::portAccepts(tlsPort));

    Console console(m_config.path());
    // The token in the URL, as the relay's docs show it: taken out, shown nowhere.
    console.start(longRun({QStringLiteral("--url"),
                           QStringLiteral("wss://127.0.0.1:%1/?token=%2").arg(tlsPort).arg(Token),
                           QStringLiteral("--ca-file"), cert}));
    QTRY_COMPARE_WITH_TIMEOUT(subscribers(relay), 1, 30000);
    console.stop();
    QVERIFY2(!console.output().contains(Token), qPrintable(console.output()));
}

void TestConsoleField::windowFitsALaptopScreen()
{
    QTemporaryDir dir;
    const QString screen = dir.filePath(QStringLiteral("screen.json"));
    QFile file(screen);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720,
                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
    file.close();
    const QString platform = QStringLiteral("offscreen:configfile=") + screen;
    static const QRegularExpression saved(QStringLiteral("\\((\\d+)x(\\d+); window at (-?\\d+),(-?\\d+)\\)"));

    // First start: the 1440x900 default is clamped. Second: a geometry remembered from a larger
    // screen, partly off this one, comes back inside it.
    for (bool remembered : {false, true}) {
        QTemporaryDir config;
        if (remembered) {
            QSettings settings(config.filePath(QStringLiteral("GroupLoop/grouploop-console.conf")),
                               QSettings::IniFormat);
            settings.setValue(QStringLiteral("window/x"), 2200);
            settings.setValue(QStringLiteral("window/y"), -300);
            settings.setValue(QStringLiteral("window/width"), 1900);
            settings.setValue(QStringLiteral("window/height"), 1000);
        }
        Console console(config.path(), platform);
        console.start({QStringLiteral("--relay-port"), QStringLiteral("0"), QStringLiteral("--screenshot"),
                       dir.filePath(QStringLiteral("laptop.png")), QStringLiteral("--screenshot-delay"),
                       QStringLiteral("800")});
        QVERIFY(console.waitForExit(60000));
        QCOMPARE(console.exitCode(), 0);
        const QRegularExpressionMatch match = saved.match(console.output());
        QVERIFY2(match.hasMatch(), qPrintable(console.output()));
        const QRect window(match.captured(3).toInt(), match.captured(4).toInt(), match.captured(1).toInt(),
                           match.captured(2).toInt());
        QVERIFY2(QRect(0, 0, 1280, 720).contains(window),
                 qPrintable(QStringLiteral("window %1,%2 %3x%4")
                                .arg(window.x())
                                .arg(window.y())
                                .arg(window.width())
                                .arg(window.height())));
        QVERIFY(window.width() >= 1200 && window.height() >= 680); // and uses the screen
    }
}

QTEST_GUILESS_MAIN(TestConsoleField)
#include "tst_consolefield.moc"
