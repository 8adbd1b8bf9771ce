// grouploop-relay --record: every frame the relay fans out and every command with its result
// land in a session file, whether or not anyone subscribes, and a bad path fails listen().
#include "relaytestclient.h"
#include "sessionfile.h"

#include <QTemporaryDir>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

class TestRelayRecording : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordsFramesAndCommands();
    void recordsWithoutSubscribers();
    void badPathFailsListen();
};

void TestRelayRecording::recordsFramesAndCommands()
{
    QTemporaryDir dir;
    RelayConfig config;
    config.recordPath = dir.filePath(QStringLiteral("relay.session.gz"));
    auto relay = startRelay(config);

    TestClient device, gateway, browser, controller;
    QVERIFY(device.open(*relay));
    QVERIFY(gateway.open(*relay));
    QVERIFY(browser.open(*relay));
    QVERIFY(controller.open(*relay));
    QCOMPARE(browser.request(u"s"_qs), u"stream:on"_qs);

    QElapsedTimer clock;
    clock.start();
    device.sendAndSync(u"A1B2808080BF00000000"_qs); // upper case: recorded as relayed, lower case
    QTest::qWait(120);
    gateway.sendAndSync(u"00c3808080bf000000ff\n00c4808080bf00000000\n"_qs);
    QCOMPARE(controller.request(u"cmd:a1b2:led:ff0000"_qs), u"cmd:result:success"_qs);
    QCOMPARE(controller.request(u"cmd:ffff:reset"_qs), u"cmd:result:failed"_qs);
    QCOMPARE(controller.request(u"cmd:all:led_set:2:00ff00"_qs), u"cmd:result:sent_to_3_devices"_qs);
    QCOMPARE(controller.request(u"cmd:all:bogus"_qs), u"cmd:result:Unknown command: bogus"_qs);
    const qint64 elapsed = clock.elapsed();
    QTRY_COMPARE(browser.frameLines().size(), 3); // the subscriber saw what the file holds
    relay.reset(); // flushes and closes the file

    const SessionRecording rec = SessionReader::read(config.recordPath);
    QVERIFY2(rec.isValid(), qPrintable(rec.error));
    QVERIFY2(rec.problems.isEmpty(), qPrintable(rec.problems.join(u'\n')));
    QCOMPARE(rec.header.devices, 0);
    QVERIFY2(rec.header.relay.startsWith(u"ws://127.0.0.1:"), qPrintable(rec.header.relay));
    QVERIFY(rec.header.source.startsWith(u"grouploop-relay "));
    QCOMPARE(rec.frames.size(), size_t(3));
    QCOMPARE(rec.frames[0].frame.toHex(), QByteArray("a1b2808080bf00000000"));
    QCOMPARE(rec.frames[1].frame.id, quint16(0x00c3));
    QVERIFY(rec.frames[1].frame.isTap());
    QCOMPARE(rec.frames[2].frame.id, quint16(0x00c4));
    QCOMPARE(rec.frames[1].ms, rec.frames[2].ms); // one message, one fan-out pass
    QVERIFY2(rec.frames[1].ms - rec.frames[0].ms >= 100, qPrintable(QString::number(rec.frames[1].ms)));
    QVERIFY(rec.frames[2].ms < elapsed + 2000); // the relay's clock started a little earlier

    QCOMPARE(rec.commands.size(), size_t(4));
    QCOMPARE(rec.commands[0].target, u"a1b2"_qs);
    QCOMPARE(rec.commands[0].command, u"led"_qs);
    QCOMPARE(rec.commands[0].params, u"ff0000"_qs);
    QCOMPARE(rec.commands[0].result, u"success"_qs);
    QCOMPARE(rec.commands[1].result, u"failed"_qs);
    QCOMPARE(rec.commands[2].params, u"2:00ff00"_qs);
    QCOMPARE(rec.commands[2].result, u"sent_to_3_devices"_qs);
    QCOMPARE(rec.commands[3].result, u"Unknown command: bogus"_qs);
}

void TestRelayRecording::recordsWithoutSubscribers()
{
    QTemporaryDir dir;
    RelayConfig config;
    config.recordPath = dir.filePath(QStringLiteral("quiet.session"));
    auto relay = startRelay(config);
    TestClient device;
    QVERIFY(device.open(*relay));
    for (int i = 0; i < 5; ++i)
        device.sendAndSync(u"0001808080bf0000000%1"_qs.arg(i));
    relay.reset();
    const SessionRecording rec = SessionReader::read(config.recordPath);
    QCOMPARE(rec.frames.size(), size_t(5));
    QCOMPARE(rec.frames[4].frame.tap, quint8(4));
}

void TestRelayRecording::badPathFailsListen()
{
    RelayConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = 0;
    config.recordPath = u"/nonexistent/dir/x.session"_qs;
    RelayServer relay(config);
    QString error;
    QVERIFY(!relay.listen(&error));
    QVERIFY2(error.startsWith(u"--record: /nonexistent/dir/x.session: cannot create"), qPrintable(error));
    QVERIFY(!relay.isListening());
}

QTEST_MAIN(TestRelayRecording)
#include "tst_relayrecording.moc"
