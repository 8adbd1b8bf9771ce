// EmulatorController (the emulator panel's device) on its own and against a real relay:
// id validation, motion and attitude in the frames, connect/disconnect, commands changing the
// ring as the firmware would, taps, vibration, and a clear message for a dead relay.
#include "emulatorcontroller.h"
#include "ledchecks.h"
#include "relaytestclient.h"
#include "sensorframe.h"
#include "swarmtestpeer.h"

#include <QSignalSpy>
#include <QTest>

using namespace GroupLoop;

class TestEmulatorController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validatesId_data();
    void validatesId();
    void motionDrivesFrameBytes();
    void rejectsBadUrl_data();
    void rejectsBadUrl();
    void connectsAndStreams();
    void ledCommandTurnsRingRed();
    void tapGoesOutInNextFrame();
    void vibratesForDuration();
    void refreshesOnlyWhileWatched();
    void ignoresUnknownText();
    void disconnects();
    void deadRelayIsReported();

private:
    std::unique_ptr<RelayServer> m_relay;
    QUrl m_url;
    EmulatorController m_emulator;
    Testing::TestPeer m_peer; // subscriber and command sender
};

static int tapsIn(const QStringList &frames)
{
    int taps = 0;
    for (const QString &frame : frames)
        taps += frame.endsWith(QStringLiteral("ff")) ? 1 : 0;
    return taps;
}

void TestEmulatorController::initTestCase()
{
    m_relay = Testing::startRelay();
    m_url = Testing::relayUrl(*m_relay);
    m_peer.open(m_url);
    QTRY_VERIFY(m_peer.isOpen());
    m_peer.subscribe();
    QTRY_VERIFY(m_peer.messages().contains(QStringLiteral("stream:on")));
}

void TestEmulatorController::validatesId_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("idText");
    QTest::newRow("lower") << QStringLiteral("beef") << true << QStringLiteral("beef");
    QTest::newRow("upper") << QStringLiteral("A1B2") << true << QStringLiteral("a1b2");
    QTest::newRow("spaces") << QStringLiteral(" 00ff ") << true << QStringLiteral("00ff");
    QTest::newRow("short") << QStringLiteral("abc") << false << QString();
    QTest::newRow("long") << QStringLiteral("abcde") << false << QString();
    QTest::newRow("not hex") << QStringLiteral("zz12") << false << QString();
    QTest::newRow("empty") << QString() << false << QString();
}

void TestEmulatorController::validatesId()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, idText);
    EmulatorController emulator;
    const QString before = emulator.idText();
    QCOMPARE(EmulatorController::isValidId(text), valid);
    QCOMPARE(emulator.setIdText(text), valid);
    if (valid) {
        QCOMPARE(emulator.idText(), idText);
        QVERIFY(emulator.error().isEmpty());
    } else {
        QCOMPARE(emulator.idText(), before);
        QVERIFY2(emulator.error().contains(QStringLiteral("4 hex digits")), qPrintable(emulator.error()));
    }
}

void TestEmulatorController::motionDrivesFrameBytes()
{
    EmulatorController emulator;
    // Flat: +1 g on z (byte 191), 0 g on x and y (128).
    QCOMPARE(emulator.device().peekFrame().az, quint8(191));
    QCOMPARE(emulator.device().peekFrame().ax, quint8(128));
    // Pitch 90: x reads -1 g (byte 64); roll 90: y reads +1 g.
    emulator.setPitch(90);
    QCOMPARE(emulator.device().peekFrame().ax, quint8(64));
    QCOMPARE(qRound(emulator.acceleration().at(0).toDouble()), -1);
    emulator.level();
    emulator.tiltBy(90, 0);
    QCOMPARE(emulator.device().peekFrame().ay, quint8(191));
    QCOMPARE(emulator.roll(), 90.0);
    emulator.tiltBy(200, 0); // wraps to -70
    QCOMPARE(emulator.roll(), -70.0);
    // Near the NW corner its beacon is the strongest; the position is clamped to the room.
    emulator.moveTo(-50, -50);
    QCOMPARE(emulator.position(), QPointF(0, 0));
    const QVariantList beacons = emulator.beacons();
    QVERIFY(beacons[0].toInt() > beacons[1].toInt());
    QVERIFY(beacons[0].toInt() > beacons[2].toInt());
    emulator.moveTo(790, 590);
    QVERIFY(emulator.beacons()[2].toInt() > emulator.beacons()[0].toInt());
}

void TestEmulatorController::rejectsBadUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty, no console relay") << QString() << QStringLiteral("No relay");
    QTest::newRow("http") << QStringLiteral("http://127.0.0.1:5003/") << QStringLiteral("Bad relay URL");
    QTest::newRow("garbage") << QStringLiteral("ws://") << QStringLiteral("Bad relay URL");
}

void TestEmulatorController::rejectsBadUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, error);
    EmulatorController emulator;
    emulator.setUrl(url);
    QVERIFY(!emulator.connectToRelay());
    QVERIFY2(emulator.error().contains(error), qPrintable(emulator.error()));
    QCOMPARE(emulator.state(), EmulatorController::Disconnected);
}

void TestEmulatorController::connectsAndStreams()
{
    QVERIFY(m_emulator.setIdText(QStringLiteral("beef")));
    QCOMPARE(m_emulator.phaseText(), QStringLiteral("booting (no network)"));
    m_emulator.setUrl(m_url.toString());
    QSignalSpy states(&m_emulator, &EmulatorController::stateChanged);
    QVERIFY(m_emulator.connectToRelay());
    QTRY_COMPARE(m_emulator.state(), EmulatorController::Connected);
    QCOMPARE(m_emulator.stateText(), QStringLiteral("Connected"));
    QCOMPARE(m_emulator.phaseText(), QStringLiteral("online"));
    QTRY_VERIFY(m_emulator.framesSent() >= 3);
    QVERIFY(m_emulator.lastFrameHex().startsWith(QStringLiteral("beef")));
    QVERIFY(m_emulator.lastFrameDecoded().contains(QStringLiteral("id beef")));
    QTRY_VERIFY(m_peer.framesOf(QStringLiteral("beef")).size() >= 3);
    // The relay now routes commands for beef to the emulator.
    m_peer.clear();
    m_peer.send(QStringLiteral("cmd:beef:status"));
    QTRY_VERIFY(m_peer.messages().contains(QStringLiteral("cmd:result:success")));
    QTRY_VERIFY(!m_emulator.received().isEmpty());
    QVERIFY2(m_emulator.received().first().contains(QStringLiteral("status:  (applied)")),
             qPrintable(m_emulator.received().first()));
}

void TestEmulatorController::ledCommandTurnsRingRed()
{
    m_peer.send(QStringLiteral("cmd:beef:pattern:solid"));
    m_peer.send(QStringLiteral("cmd:beef:led:00ff00"));
    QTRY_COMPARE(m_emulator.leds(), QStringList(6, QStringLiteral("#00ff00")));
    m_peer.send(QStringLiteral("cmd:beef:led:ff0000"));
    QTRY_COMPARE(m_emulator.leds(), QStringList(6, QStringLiteral("#ff0000")));
    QVERIFY(Testing::isPureRed(m_emulator.leds()));
    QCOMPARE(m_emulator.patternText(), QStringLiteral("solid #ff0000"));
    QVERIFY(m_emulator.received().first().contains(QStringLiteral("led:ff0000  (applied)")));
    // Per-LED mode: one LED on.
    m_peer.send(QStringLiteral("cmd:beef:led_all_off"));
    m_peer.send(QStringLiteral("cmd:beef:led_set:2:0000ff"));
    QStringList expected(6, QStringLiteral("#000000"));
    expected[2] = QStringLiteral("#0000ff");
    QTRY_COMPARE(m_emulator.leds(), expected);
    QCOMPARE(m_emulator.patternText(), QStringLiteral("per-LED"));
}

void TestEmulatorController::tapGoesOutInNextFrame()
{
    m_peer.clear();
    m_emulator.tap(); // sent at once, not at the next send tick
    QVERIFY2(m_emulator.lastFrameDecoded().endsWith(QStringLiteral("tap yes")),
             qPrintable(m_emulator.lastFrameDecoded()));
    QVERIFY(m_emulator.lastFrameHex().endsWith(QStringLiteral("ff")));
    QTRY_COMPARE(tapsIn(m_peer.framesOf(QStringLiteral("beef"))), 1);
    // Only that one frame carries the tap: the frames after it end in 00.
    QTRY_VERIFY(m_peer.framesOf(QStringLiteral("beef")).size() >= 4);
    const QStringList frames = m_peer.framesOf(QStringLiteral("beef"));
    QCOMPARE(tapsIn(frames), 1);
    QVERIFY(frames.last().endsWith(QStringLiteral("00")));
}

void TestEmulatorController::vibratesForDuration()
{
    QSignalSpy vibrating(&m_emulator, &EmulatorController::vibratingChanged);
    m_peer.send(QStringLiteral("cmd:beef:vibrate:300"));
    QTRY_VERIFY(m_emulator.isVibrating());
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_emulator.isVibrating(), 2000);
    QVERIFY2(clock.elapsed() >= 150, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(vibrating.count(), 2);
}

void TestEmulatorController::refreshesOnlyWhileWatched()
{
    QVERIFY(m_emulator.isWatched());
    m_emulator.setWatched(false);
    QVERIFY(!m_emulator.isWatched());
    QSignalSpy leds(&m_emulator, &EmulatorController::ledsChanged);
    // Breathing changes brightness all the time; unwatched, only the command itself refreshes.
    m_peer.send(QStringLiteral("cmd:beef:pattern:breathing"));
    QTRY_VERIFY(m_emulator.received().first().contains(QStringLiteral("pattern:breathing")));
    const int afterCommand = leds.count();
    QTest::qWait(300);
    QCOMPARE(leds.count(), afterCommand);
    m_emulator.setWatched(true);
    QTRY_VERIFY(leds.count() >= afterCommand + 3);
    // Back to the steady per-LED state the next tests start from.
    m_peer.send(QStringLiteral("cmd:beef:led_all_off"));
    m_peer.send(QStringLiteral("cmd:beef:led_set:2:0000ff"));
    QStringList expected(6, QStringLiteral("#000000"));
    expected[2] = QStringLiteral("#0000ff");
    QTRY_COMPARE(m_emulator.leds(), expected);
}

void TestEmulatorController::ignoresUnknownText()
{
    const QStringList before = m_emulator.leds();
    m_peer.send(QStringLiteral("cmd:beef:led:nothex"));
    QTRY_VERIFY(m_emulator.received().first().contains(QStringLiteral("led:nothex  (ignored)")));
    QCOMPARE(m_emulator.leds(), before);
}

void TestEmulatorController::disconnects()
{
    m_emulator.disconnectFromRelay();
    QTRY_COMPARE(m_emulator.state(), EmulatorController::Disconnected);
    const double sent = m_emulator.framesSent();
    QTest::qWait(200);
    QCOMPARE(m_emulator.framesSent(), sent);
    QVERIFY(m_emulator.error().isEmpty());
    // Reconnecting keeps the device's state (it did not reboot).
    QVERIFY(m_emulator.connectToRelay());
    QTRY_COMPARE(m_emulator.state(), EmulatorController::Connected);
    QCOMPARE(m_emulator.patternText(), QStringLiteral("per-LED"));
    m_emulator.disconnectFromRelay();
    QTRY_COMPARE(m_emulator.state(), EmulatorController::Disconnected);
}

void TestEmulatorController::deadRelayIsReported()
{
    const quint16 port = Testing::freePort(); // a port nobody listens on
    EmulatorController emulator;
    emulator.setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
    QVERIFY(emulator.connectToRelay());
    QTRY_COMPARE(emulator.state(), EmulatorController::Reconnecting);
    QVERIFY2(emulator.error().contains(QStringLiteral("Cannot reach the relay")),
             qPrintable(emulator.error()));
    emulator.disconnectFromRelay();
    QTRY_COMPARE(emulator.state(), EmulatorController::Disconnected);
}

QTEST_MAIN(TestEmulatorController)
#include "tst_emulatorcontroller.moc"
