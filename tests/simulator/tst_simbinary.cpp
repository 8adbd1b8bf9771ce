// The built grouploop-sim binary: runs against a real relay and exits 0, stops cleanly on
// SIGINT/SIGTERM, and fails with one line and a non-zero code on bad flags or no relay.
#include "programs.h"
#include "relaytestclient.h"

#include <QProcess>
#include <QTest>

#include <csignal>
#include <memory>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

const QString SimBinary = simBinary();

QString urlOf(quint16 port)
{
    return wsUrl(port).toString();
}

} // namespace

class TestSimBinary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsAgainstRelay();
    void stopsOnSignal_data();
    void stopsOnSignal();
    void badArguments_data();
    void badArguments();
    void cannotConnect();
    void versionAndHelp();
    void warnsOnlyAboveTheRelaysFrameLimit_data();
    void warnsOnlyAboveTheRelaysFrameLimit();
};

void TestSimBinary::runsAgainstRelay()
{
    auto relay = startRelay();
    QVERIFY(relay);
    int mostDevices = 0;
    connect(relay.get(), &RelayServer::deviceCountChanged, this,
            [&](int n) { mostDevices = std::max(mostDevices, n); });
    QProcess sim;
    sim.start(SimBinary,
              {u"--url"_qs, urlOf(relay->serverPort()), u"--devices"_qs, u"30"_qs, u"--hz"_qs, u"20"_qs,
               u"--seconds"_qs, u"2"_qs, u"--seed"_qs, u"7"_qs});
    QVERIFY(sim.waitForStarted());
    QVERIFY(waitForExit(sim, 20000));
    const QString out = QString::fromLocal8Bit(sim.readAllStandardOutput());
    const QString err = QString::fromLocal8Bit(sim.readAllStandardError());
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QVERIFY2(sim.exitCode() == 0, qPrintable(err));
    QCOMPARE(mostDevices, 30); // the relay saw every device
    QVERIFY(relay->stats().framesIn >= 30);
    QVERIFY2(out.contains(u"connected 30/30"_qs), qPrintable(out)); // a progress line
    QVERIFY2(out.contains(u"seed 7,"_qs), qPrintable(out));
    QVERIFY2(out.contains(u"cpu user"_qs), qPrintable(out));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 0, 5000); // closed its sockets on the way out
}

void TestSimBinary::stopsOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
}

void TestSimBinary::stopsOnSignal()
{
    QFETCH(int, signal);
    auto relay = startRelay();
    QVERIFY(relay);
    QProcess sim;
    sim.start(SimBinary, {u"--url"_qs, urlOf(relay->serverPort()), u"--devices"_qs, u"5"_qs, u"--quiet"_qs});
    QVERIFY(sim.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(relay->devices().size(), 5, 10000);
    ::kill(pid_t(sim.processId()), signal);
    QVERIFY(waitForExit(sim, 5000));
    QCOMPARE(sim.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 0, 5000);
}

void TestSimBinary::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown flag") << QStringList {u"--devcies"_qs, u"3"_qs} << u"devcies"_qs;
    QTest::newRow("bad number") << QStringList {u"--hz"_qs, u"lots"_qs} << u"--hz"_qs;
    QTest::newRow("out of range") << QStringList {u"--hz"_qs, u"0"_qs} << u"Hz"_qs;
    QTest::newRow("bad rotation") << QStringList {u"--rotation"_qs, u"wobble"_qs} << u"--rotation"_qs;
    QTest::newRow("bad url") << QStringList {u"--url"_qs, u"https://relay"_qs} << u"ws://"_qs;
}

void TestSimBinary::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const ProgramRun sim = run(SimBinary, args);
    QCOMPARE(sim.exitCode, 2);
    QVERIFY2(sim.err.startsWith(u"grouploop-sim: "_qs) && sim.err.contains(mentions), qPrintable(sim.err));
    QCOMPARE(sim.err.count(QLatin1Char('\n')), 1); // one line
    QVERIFY(sim.out.isEmpty());
}

void TestSimBinary::cannotConnect()
{
    const quint16 port = freePort();
    const ProgramRun sim = run(
        SimBinary, {u"--url"_qs, urlOf(port), u"--devices"_qs, u"3"_qs, u"--connect-timeout"_qs, u"1"_qs});
    QCOMPARE(sim.exitCode, 1); // and not a crash (-1)
    QVERIFY2(sim.err.contains(u"cannot connect to ws://127.0.0.1:"_qs) && sim.err.contains(u"within 1 s"_qs),
             qPrintable(sim.err));
    QCOMPARE(sim.err.count(QLatin1Char('\n')), 1);
}

void TestSimBinary::versionAndHelp()
{
    const ProgramRun version = run(SimBinary, {u"--version"_qs});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QStringLiteral("grouploop-sim " GROUPLOOP_VERSION "\n"));
    const ProgramRun help = run(SimBinary, {u"--help"_qs});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(u"--gateway"));
}

void TestSimBinary::warnsOnlyAboveTheRelaysFrameLimit_data()
{
    QTest::addColumn<QString>("devices");
    QTest::addColumn<QString>("hz");
    QTest::addColumn<bool>("warns");
    // A gateway socket sends devices x hz frames a second; the relay allows 2,000 by default.
    QTest::newRow("10 x 50 Hz = 500/s") << u"10"_qs << u"50"_qs << false;
    QTest::newRow("40 x 50 Hz = 2,000/s") << u"40"_qs << u"50"_qs << false;
    QTest::newRow("50 x 50 Hz = 2,500/s") << u"50"_qs << u"50"_qs << true;
}

void TestSimBinary::warnsOnlyAboveTheRelaysFrameLimit()
{
    QFETCH(QString, devices);
    QFETCH(QString, hz);
    QFETCH(bool, warns);
    auto relay = startRelay();
    QVERIFY(relay);
    QProcess sim;
    sim.start(SimBinary,
              {u"--url"_qs, urlOf(relay->serverPort()), u"--devices"_qs, devices, u"--gateway"_qs, devices,
               u"--hz"_qs, hz, u"--seconds"_qs, u"1"_qs, u"--quiet"_qs});
    QVERIFY(sim.waitForStarted());
    QVERIFY(waitForExit(sim, 20000));
    const QString err = QString::fromLocal8Bit(sim.readAllStandardError());
    QCOMPARE(err.contains(u"warning"_qs), warns);
    if (warns)
        QVERIFY2(err.contains(u"(2000/s per connection)"_qs), qPrintable(err));
}

QTEST_MAIN(TestSimBinary)
#include "tst_simbinary.moc"
