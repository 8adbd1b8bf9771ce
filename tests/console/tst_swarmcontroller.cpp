// SwarmController (the simulator panel's controller) against a real relay in-process, its
// settings validation, and the true-position overlay's vertex builder as a pure function.
#include "ledchecks.h"
#include "relaytestclient.h"
#include "swarmcontroller.h"
#include "swarmoverlaygeometry.h"
#include "swarmtestpeer.h"

#include <QSignalSpy>
#include <QTest>

using namespace GroupLoop;

class TestSwarmController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rejectsBadSettings_data();
    void rejectsBadSettings();
    void runsSwarmAgainstRelay();
    void onlyCommandedDevicePulses();
    void stopsCleanly();
    void deadRelayCountsFailures();
    void demoUsesGateways();
    void overlayDrawsRingsAndLinks();
    void overlayCullsAndSwells();

private:
    QUrl m_url;
    std::unique_ptr<RelayServer> m_relay;
    std::unique_ptr<SwarmController> m_swarm;
};

void TestSwarmController::initTestCase()
{
    m_relay = Testing::startRelay();
    m_url = Testing::relayUrl(*m_relay);
    m_swarm = std::make_unique<SwarmController>();
}

void TestSwarmController::cleanupTestCase()
{
    m_swarm.reset();
    m_relay.reset();
}

void TestSwarmController::rejectsBadSettings_data()
{
    QTest::addColumn<int>("devices");
    QTest::addColumn<QString>("seed");
    QTest::addColumn<QString>("url");
    QTest::addColumn<double>("hz");
    QTest::addColumn<QString>("error"); // empty: valid

    const QString ws = QStringLiteral("ws://127.0.0.1:5999/");
    QTest::newRow("valid") << 10 << QString() << ws << 20.0 << QString();
    QTest::newRow("valid seed") << 10 << QStringLiteral("4294967295") << ws << 20.0 << QString();
    QTest::newRow("no devices") << 0 << QString() << ws << 20.0 << QStringLiteral("between 1 and 5000");
    QTest::newRow("too many") << 5001 << QString() << ws << 20.0 << QStringLiteral("between 1 and 5000");
    QTest::newRow("seed text") << 10 << QStringLiteral("abc") << ws << 20.0 << QStringLiteral("Seed must be");
    QTest::newRow("seed too big") << 10 << QStringLiteral("4294967296") << ws << 20.0
                                  << QStringLiteral("Seed must be");
    QTest::newRow("http url") << 10 << QString() << QStringLiteral("http://127.0.0.1:5003") << 20.0
                              << QStringLiteral("Bad relay URL");
    QTest::newRow("wss url") << 10 << QString() << QStringLiteral("wss://relay.example") << 20.0
                             << QString(); // verified against the system's CAs
    QTest::newRow("wss url without host")
        << 10 << QString() << QStringLiteral("wss://") << 20.0 << QStringLiteral("Bad relay URL");
    QTest::newRow("no relay at all") << 10 << QString() << QString() << 20.0 << QStringLiteral("No relay");
    QTest::newRow("rate") << 10 << QString() << ws << 500.0
                          << QStringLiteral("Rate (Hz) must be between 1 and 100");
}

void TestSwarmController::rejectsBadSettings()
{
    QFETCH(int, devices);
    QFETCH(QString, seed);
    QFETCH(QString, url);
    QFETCH(double, hz);
    QFETCH(QString, error);
    SwarmController swarm; // no console relay: an empty URL has nowhere to go
    swarm.setDevices(devices);
    swarm.setSeedText(seed);
    swarm.setUrl(url);
    swarm.setHz(hz);
    QString problem;
    swarm.buildConfig(&problem);
    if (error.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(problem.contains(error), qPrintable(problem));
    QSignalSpy errors(&swarm, &SwarmController::errorChanged);
    QVERIFY(!swarm.start());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(swarm.error(), problem);
    QVERIFY(!swarm.isRunning());
}

void TestSwarmController::runsSwarmAgainstRelay()
{
    Testing::TestPeer watcher;
    watcher.open(m_url);
    QTRY_VERIFY(watcher.isOpen());
    watcher.subscribe();

    m_swarm->setDevices(5);
    m_swarm->setSeedText(QStringLiteral("42"));
    m_swarm->setUrl(m_url.toString());
    QSignalSpy running(m_swarm.get(), &SwarmController::runningChanged);
    QVERIFY2(m_swarm->start(), qPrintable(m_swarm->error()));
    QVERIFY(m_swarm->isRunning());
    QCOMPARE(running.count(), 1);
    QCOMPARE(m_swarm->targetUrl(), m_url.toString());
    QTRY_COMPARE(m_swarm->openSockets(), 5);
    QCOMPARE(m_swarm->sockets(), 5);
    QCOMPARE(m_swarm->runningDevices(), 5);
    QCOMPARE(m_swarm->seedInUse(), QStringLiteral("42"));
    QTRY_COMPARE(m_swarm->snapshotCount(), 5);
    QTRY_VERIFY(m_swarm->framesPerSecond() > 20.0);
    const QStringList ids = m_swarm->deviceIds();
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 5);
    for (const QString &id : ids)
        QTRY_VERIFY2(!watcher.framesOf(id).isEmpty(), qPrintable(id));
    // True positions lie in the room.
    for (const DeviceSnapshot &d : m_swarm->snapshot())
        QVERIFY(d.position.x() >= 0 && d.position.x() <= 800 && d.position.y() >= 0 && d.position.y() <= 600);
}

void TestSwarmController::onlyCommandedDevicePulses()
{
    QVERIFY(m_swarm->isRunning());
    const QStringList ids = m_swarm->deviceIds();
    Testing::TestPeer commander;
    commander.open(m_url);
    QTRY_VERIFY(commander.isOpen());
    commander.send(QStringLiteral("cmd:%1:pattern:heartbeat").arg(ids[0]));
    QTRY_VERIFY(commander.messages().contains(QStringLiteral("cmd:result:success")));
    QTRY_COMPARE(m_swarm->commandsReceived(), 1.0);

    // Heartbeat: two seconds dark, then two red beats. The others keep breathing their colour.
    QTRY_VERIFY_WITH_TIMEOUT(Testing::isDark(m_swarm->ledColoursOf(ids[0])), 2000);
    bool otherLit = false;
    bool sawRedBeat = false;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 4000 && !sawRedBeat) {
        QTest::qWait(20);
        const QStringList beat = m_swarm->ledColoursOf(ids[0]);
        if (!Testing::isDark(beat)) {
            QVERIFY2(Testing::isPureRed(beat), qPrintable(beat.join(u' ')));
            sawRedBeat = true;
        }
        for (int i = 1; i < ids.size(); ++i) {
            const QStringList other = m_swarm->ledColoursOf(ids[i]);
            otherLit = otherLit || !Testing::isDark(other);
        }
    }
    QVERIFY(sawRedBeat);
    QVERIFY(otherLit);
}

void TestSwarmController::stopsCleanly()
{
    QSignalSpy running(m_swarm.get(), &SwarmController::runningChanged);
    m_swarm->stop();
    QVERIFY(!m_swarm->isRunning());
    QCOMPARE(running.count(), 1);
    QCOMPARE(m_swarm->snapshotCount(), 0);
    QCOMPARE(m_swarm->openSockets(), 0);
}

void TestSwarmController::deadRelayCountsFailures()
{
    const quint16 port = Testing::freePort(); // a port nobody listens on
    SwarmController swarm;
    swarm.setDevices(2);
    swarm.setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QVERIFY(swarm.start());
    QTRY_VERIFY(swarm.connectFailures() > 0);
    QCOMPARE(swarm.openSockets(), 0);
    QTRY_VERIFY(!swarm.lastLinkError().isEmpty());
    swarm.stop();
}

void TestSwarmController::demoUsesGateways()
{
    SwarmController swarm;
    QString error;
    QVERIFY2(swarm.startDemo(201, m_url, &error), qPrintable(error));
    QCOMPARE(swarm.devices(), 201);
    QCOMPARE(swarm.gateway(), 4);
    QCOMPARE(swarm.url(), m_url.toString());
    QTRY_COMPARE(swarm.sockets(), 51);
    QTRY_COMPARE(swarm.openSockets(), 51);
    swarm.stop();
    QVERIFY(!swarm.startDemo(10, QUrl(QStringLiteral("https://secure.example/")), &error));
    QVERIFY2(error.contains(QStringLiteral("Bad relay URL")), qPrintable(error));
}

void TestSwarmController::overlayDrawsRingsAndLinks()
{
    using namespace SwarmOverlayGeometry;
    FieldGeometry::View view;
    view.scale = 1.0;
    view.viewport = QSizeF(800, 600);
    Marker red;
    red.room = {100, 100};
    red.leds.fill(Rgb {255, 0, 0});
    Marker perLed;
    perLed.room = {300, 300};
    perLed.leds[2] = Rgb {0, 0, 255};
    perLed.estimated = QPointF(350, 300);
    std::vector<FieldGeometry::Vertex> out;
    Style style;
    build({red, perLed}, view, style, out);
    QCOMPARE(int(out.size()), 2 * VerticesPerMarker + 6);
    // The link comes first (underneath), then outline and wedges of each marker.
    const auto &wedgeRed = out[size_t(6 + VerticesPerHexagon)];
    QCOMPARE(int(wedgeRed.r), 255);
    QCOMPARE(int(wedgeRed.g), 0);
    const size_t perLedWedges = size_t(6 + VerticesPerMarker + VerticesPerHexagon);
    const auto &led0 = out[perLedWedges + 0 * 3];
    const auto &led2 = out[perLedWedges + 2 * 3];
    QCOMPARE(int(led0.r), style.ledOff.red()); // unlit LED
    QCOMPARE(int(led2.b), 255);
    QCOMPARE(int(led2.r), 0);
    // Without an estimate there is no link.
    perLed.estimated.reset();
    build({red, perLed}, view, style, out);
    QCOMPARE(int(out.size()), 2 * VerticesPerMarker);
}

void TestSwarmController::overlayCullsAndSwells()
{
    using namespace SwarmOverlayGeometry;
    FieldGeometry::View view;
    view.scale = 0.5;
    view.offset = QPointF(10, 10);
    view.viewport = QSizeF(200, 200);
    Marker inside;
    inside.room = {100, 100};
    Marker outside;
    outside.room = {700, 500};
    std::vector<FieldGeometry::Vertex> out;
    Style style;
    build({inside, outside}, view, style, out);
    QCOMPARE(int(out.size()), VerticesPerMarker);

    LedRing::Colours dark {};
    LedRing::Colours full;
    full.fill(Rgb {0, 255, 0});
    LedRing::Colours half;
    half.fill(Rgb {0, 128, 0});
    QCOMPARE(markerRadius(dark, style), style.radiusPx);
    QVERIFY(markerRadius(half, style) > markerRadius(dark, style));
    QVERIFY(markerRadius(full, style) > markerRadius(half, style));
    QCOMPARE(ringLevel(full), 1.0);
}

QTEST_MAIN(TestSwarmController)
#include "tst_swarmcontroller.moc"
