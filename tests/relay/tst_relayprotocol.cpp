// Every exchange of shared/PROTOCOL.md against a relay over real sockets.
#include "relaytestclient.h"

#include <QElapsedTimer>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

class TestRelayProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { relay = startRelay(); }
    void cleanup() { relay.reset(); }

    void greetsOnAnyPath();
    void replies_data();
    void replies();
    void framesReachEverySubscriber();
    void framesAreLowercasedAndBatched();
    void junkLinesAreDroppedSilently();
    void subscriberThatSendsFramesIsADevice();
    void commandToDevice_data();
    void commandToDevice();
    void commandToAllCountsIds();
    void gatewayGetsBroadcastOncePerId();
    void latestSenderOwnsDuplicateId();
    void disconnectRemovesOwnedIds();
    void otaRefusedUnlessAllowed();
    void binaryMessagesAreIgnored();
    void oneFramePerMessageFlag();
    void batchWindowJoinsFrames();
    void fanoutPacesFramesButNotReplies();
    void burstLongerThanOneReadArrivesWhole();

private:
    std::unique_ptr<RelayServer> relay;
};

void TestRelayProtocol::greetsOnAnyPath()
{
    TestClient a, b;
    QVERIFY(a.open(*relay, u"/"_qs));
    QVERIFY(b.open(*relay, u"/some/deep/path?x=1"_qs));
    QTRY_COMPARE(relay->stats().connections, 2);
}

void TestRelayProtocol::replies_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("reply"); // null: no reply at all

    QTest::newRow("ping") << u"ping"_qs << u"pong"_qs;
    QTest::newRow("ping newline is data") << u"ping\n"_qs << QString();
    QTest::newRow("id") << u"id:kiosk"_qs << u"id:ok"_qs;
    QTest::newRow("id padded") << u"id:  lamp 2 "_qs << u"id:ok"_qs;
    QTest::newRow("id empty") << u"id:"_qs << u"id:error"_qs;
    QTest::newRow("id spaces") << u"id:   "_qs << u"id:error"_qs;
    QTest::newRow("subscribe") << u"s"_qs << u"stream:on"_qs;
    QTest::newRow("cmd one part") << u"cmd:all"_qs << u"cmd:error:invalid_format"_qs;
    QTest::newRow("cmd empty") << u"cmd:"_qs << u"cmd:error:invalid_format"_qs;
    QTest::newRow("unknown command") << u"cmd:all:explode:now"_qs
                                     << u"cmd:result:Unknown command: explode"_qs;
    QTest::newRow("missing params")
        << u"cmd:all:led_set"_qs << u"cmd:result:Command led_set requires parameters: ['index', 'color']"_qs;
    QTest::newRow("missing params trailing colon")
        << u"cmd:all:led:"_qs << u"cmd:result:Command led requires parameters: ['color']"_qs;
    QTest::newRow("all with no devices") << u"cmd:all:status"_qs << u"cmd:result:sent_to_0_devices"_qs;
    QTest::newRow("unknown device") << u"cmd:beef:status"_qs << u"cmd:result:failed"_qs;
    QTest::newRow("not an id") << u"cmd:lamp:status"_qs << u"cmd:result:failed"_qs;
    QTest::newRow("junk") << u"hello"_qs << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestRelayProtocol::replies()
{
    QFETCH(QString, message);
    QFETCH(QString, reply);
    TestClient client;
    QVERIFY(client.open(*relay));
    client.sendAndSync(message);
    if (reply.isNull())
        QVERIFY2(client.received.isEmpty(), qPrintable(client.received.join(u'|')));
    else
        QCOMPARE(client.received, QStringList {reply});
}

void TestRelayProtocol::framesReachEverySubscriber()
{
    TestClient device, sub1, sub2, bystander;
    QVERIFY(device.open(*relay) && sub1.open(*relay) && sub2.open(*relay) && bystander.open(*relay));
    QCOMPARE(sub1.request(u"s"_qs), u"stream:on"_qs);
    QCOMPARE(sub2.request(u"s"_qs), u"stream:on"_qs);
    device.send(u"a1b28080bf1020304000\n"_qs);
    QCOMPARE(sub1.next(), u"a1b28080bf1020304000\n"_qs);
    QCOMPARE(sub2.next(), u"a1b28080bf1020304000\n"_qs);
    bystander.sync();
    QVERIFY(bystander.received.isEmpty());
    QVERIFY(device.received.isEmpty());
    QCOMPARE(relay->stats().devices, 1);
}

void TestRelayProtocol::framesAreLowercasedAndBatched()
{
    TestClient device, sub;
    QVERIFY(device.open(*relay) && sub.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    // One message with three lines, CRLF, padding and uppercase: one message out, lowercased.
    device.send(u"  A1B28080BF1020304000\r\nC3D48080bf10203040FF \n\n0001000000000000000\n"_qs);
    QCOMPARE(sub.next(), u"a1b28080bf1020304000\nc3d48080bf10203040ff\n"_qs);
    QCOMPARE(relay->stats().devices, 2);
}

void TestRelayProtocol::junkLinesAreDroppedSilently()
{
    TestClient device, sub;
    QVERIFY(device.open(*relay) && sub.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    device.sendAndSync(u"hello world\nzzzz8080bf1020304000\na1b28080bf10203040000\n"_qs);
    QVERIFY(device.received.isEmpty());
    sub.sync();
    QVERIFY(sub.received.isEmpty());
    QCOMPARE(relay->stats().devices, 0);
    QCOMPARE(relay->stats().junkLines, 3u);
}

void TestRelayProtocol::subscriberThatSendsFramesIsADevice()
{
    TestClient browser;
    QVERIFY(browser.open(*relay));
    QCOMPARE(browser.request(u"s"_qs), u"stream:on"_qs);
    browser.send(u"beef8080bf1020304000"_qs);
    QCOMPARE(browser.next(), u"beef8080bf1020304000\n"_qs); // it hears itself
    QCOMPARE(browser.request(u"cmd:beef:status"_qs), u"status:"_qs); // and is routable
    QCOMPARE(browser.next(), u"cmd:result:success"_qs);
}

void TestRelayProtocol::commandToDevice_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("delivered");
    QTest::newRow("params") << u"cmd:a1b2:led:ff0000"_qs << u"led:ff0000"_qs;
    QTest::newRow("trailing colon kept") << u"cmd:a1b2:status"_qs << u"status:"_qs;
    QTest::newRow("explicit empty params") << u"cmd:a1b2:reset:"_qs << u"reset:"_qs;
    QTest::newRow("params with colons") << u"cmd:a1b2:led_set:2:00ff00"_qs << u"led_set:2:00ff00"_qs;
    QTest::newRow("uppercase target") << u"cmd:A1B2:vibrate:250"_qs << u"vibrate:250"_qs;
}

void TestRelayProtocol::commandToDevice()
{
    QFETCH(QString, command);
    QFETCH(QString, delivered);
    TestClient device, controller;
    QVERIFY(device.open(*relay) && controller.open(*relay));
    device.sendAndSync(u"a1b28080bf1020304000\n"_qs);
    QCOMPARE(controller.request(command), u"cmd:result:success"_qs);
    QCOMPARE(device.next(), delivered);
}

void TestRelayProtocol::commandToAllCountsIds()
{
    TestClient d1, d2, controller;
    QVERIFY(d1.open(*relay) && d2.open(*relay) && controller.open(*relay));
    d1.sendAndSync(u"00018080bf1020304000"_qs);
    d2.sendAndSync(u"00028080bf1020304000"_qs);
    QCOMPARE(controller.request(u"cmd:all:pattern:heartbeat"_qs), u"cmd:result:sent_to_2_devices"_qs);
    QCOMPARE(d1.next(), u"pattern:heartbeat"_qs);
    QCOMPARE(d2.next(), u"pattern:heartbeat"_qs);
    QVERIFY(controller.next(300).isNull());
}

void TestRelayProtocol::gatewayGetsBroadcastOncePerId()
{
    TestClient gateway, controller;
    QVERIFY(gateway.open(*relay) && controller.open(*relay));
    gateway.sendAndSync(u"00018080bf1020304000\n00028080bf1020304000\n00038080bf1020304000\n"_qs);
    QCOMPARE(relay->stats().devices, 3);
    QCOMPARE(controller.request(u"cmd:all:reset"_qs), u"cmd:result:sent_to_3_devices"_qs);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(gateway.next(), u"reset:"_qs);
    QCOMPARE(controller.request(u"cmd:0002:led:00ff00"_qs), u"cmd:result:success"_qs);
    QCOMPARE(gateway.next(), u"led:00ff00"_qs);
}

void TestRelayProtocol::latestSenderOwnsDuplicateId()
{
    TestClient first, second, controller;
    QVERIFY(first.open(*relay) && second.open(*relay) && controller.open(*relay));
    first.sendAndSync(u"abcd8080bf1020304000"_qs);
    second.sendAndSync(u"abcd8080bf1020304000"_qs);
    QCOMPARE(controller.request(u"cmd:abcd:status"_qs), u"cmd:result:success"_qs);
    QCOMPARE(second.next(), u"status:"_qs);
    first.sync();
    QVERIFY(first.received.isEmpty());
    // The first sender takes it back with a newer frame.
    first.sendAndSync(u"abcd8080bf1020304000"_qs);
    QCOMPARE(controller.request(u"cmd:abcd:reset"_qs), u"cmd:result:success"_qs);
    QCOMPARE(first.next(), u"reset:"_qs);
    // The former owner leaving does not remove the id it no longer owns.
    second.socket.close();
    QTRY_COMPARE(relay->stats().connections, 2);
    QCOMPARE(relay->stats().devices, 1);
}

void TestRelayProtocol::disconnectRemovesOwnedIds()
{
    QSignalSpy devicesChanged(relay.get(), &RelayServer::deviceCountChanged);
    TestClient gateway, other, controller;
    QVERIFY(gateway.open(*relay) && other.open(*relay) && controller.open(*relay));
    gateway.sendAndSync(u"00018080bf1020304000\n00028080bf1020304000"_qs);
    other.sendAndSync(u"00038080bf1020304000"_qs);
    QCOMPARE(relay->stats().devices, 3);
    gateway.socket.close();
    QTRY_COMPARE(relay->stats().devices, 1);
    QCOMPARE(relay->devices().constFirst().id, u"0003"_qs);
    QCOMPARE(controller.request(u"cmd:0001:status"_qs), u"cmd:result:failed"_qs);
    QCOMPARE(controller.request(u"cmd:all:status"_qs), u"cmd:result:sent_to_1_devices"_qs);
    QCOMPARE(devicesChanged.last().at(0).toInt(), 1);
}

void TestRelayProtocol::otaRefusedUnlessAllowed()
{
    TestClient device, controller;
    QVERIFY(device.open(*relay) && controller.open(*relay));
    device.sendAndSync(u"a1b28080bf1020304000"_qs);
    const QString reply = controller.request(u"cmd:all:ota:http://h:5004/x.bin"_qs);
    QVERIFY2(reply.startsWith(u"cmd:result:refused:") && reply.contains(u"ota"), qPrintable(reply));
    device.sync();
    QVERIFY(device.received.isEmpty());

    // Allowed, but only for a controller that proved itself with a token.
    RelayConfig config;
    config.allowOta = true;
    config.access.controllerTokens.add("flash-key");
    auto permissive = startRelay(config);
    TestClient device2, controller2;
    QVERIFY(device2.open(*permissive) && controller2.open(*permissive));
    device2.sendAndSync(u"a1b28080bf1020304000"_qs);
    QCOMPARE(controller2.request(u"auth:flash-key"_qs), u"auth:ok"_qs);
    QCOMPARE(controller2.request(u"cmd:a1b2:ota:http://h:5004/x.bin"_qs), u"cmd:result:success"_qs);
    QCOMPARE(device2.next(), u"ota:http://h:5004/x.bin"_qs);
}

void TestRelayProtocol::binaryMessagesAreIgnored()
{
    TestClient client;
    QVERIFY(client.open(*relay));
    client.socket.sendBinaryMessage("a1b28080bf1020304000");
    QCOMPARE(client.request(u"ping"_qs), u"pong"_qs);
    QCOMPARE(relay->stats().devices, 0);
}

void TestRelayProtocol::oneFramePerMessageFlag()
{
    RelayConfig config;
    config.oneFramePerMessage = true;
    auto strict = startRelay(config);
    TestClient device, sub;
    QVERIFY(device.open(*strict) && sub.open(*strict));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    device.send(u"00018080bf1020304000\n00028080bf1020304000\n"_qs);
    QCOMPARE(sub.next(), u"00018080bf1020304000\n"_qs);
    QCOMPARE(sub.next(), u"00028080bf1020304000\n"_qs);
}

void TestRelayProtocol::batchWindowJoinsFrames()
{
    RelayConfig config;
    config.batchMs = 300;
    auto batching = startRelay(config);
    TestClient d1, d2, sub;
    QVERIFY(d1.open(*batching) && d2.open(*batching) && sub.open(*batching));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    d1.send(u"00018080bf1020304000"_qs);
    d2.send(u"00028080bf1020304000"_qs);
    QCOMPARE(sub.next(), u"00018080bf1020304000\n00028080bf1020304000\n"_qs);
}

// While frames keep coming, a subscriber gets at most one message per --fanout-ms, holding the
// frames of the passes in between; the first frame after a quiet spell is not held back, and
// replies never wait.
void TestRelayProtocol::fanoutPacesFramesButNotReplies()
{
    RelayConfig config;
    config.fanoutMs = 2000;
    config.busyPerSecond = 0; // paced from the first frame, as under load
    auto paced = startRelay(config);
    TestClient d1, d2, sub;
    QVERIFY(d1.open(*paced) && d2.open(*paced) && sub.open(*paced));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    QElapsedTimer clock;
    clock.start();
    d1.send(u"00018080bf1020304000"_qs);
    QCOMPARE(sub.next(), u"00018080bf1020304000\n"_qs);
    const qint64 firstMs = clock.elapsed();
    QVERIFY2(firstMs < 1000, qPrintable(QString::number(firstMs)));

    d1.sendAndSync(u"00018080bf1020304001"_qs); // each in a pass of its own
    d2.sendAndSync(u"00028080bf1020304000"_qs);
    QCOMPARE(sub.request(u"ping"_qs), u"pong"_qs); // while the frames wait
    QCOMPARE(sub.next(5000), u"00018080bf1020304001\n00028080bf1020304000\n"_qs);
    const qint64 gapMs = clock.elapsed() - firstMs;
    QVERIFY2(gapMs >= 1000, qPrintable(QString::number(gapMs)));
    QCOMPARE(paced->stats().framesOut, 3u);
}

// More than the relay reads from a socket at once (64 KiB), sent in one go: on the epoll loop the
// descriptor is edge-triggered, so the relay must come back for the rest by itself; nothing new
// arrives to remind it.
void TestRelayProtocol::burstLongerThanOneReadArrivesWhole()
{
    RelayConfig config;
    config.maxFramesPerSecond = 1e6; // a gateway's burst, not a flood
    auto relayForBurst = startRelay(config);
    TestClient gateway, sub;
    QVERIFY(gateway.open(*relayForBurst) && sub.open(*relayForBurst));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    constexpr int Messages = 14, FramesPerMessage = 300; // 88 KiB of frames
    for (int m = 0; m < Messages; ++m) {
        QString text;
        for (int f = 0; f < FramesPerMessage; ++f)
            text += QStringLiteral("%1").arg(m * FramesPerMessage + f, 4, 16, QLatin1Char('0'))
                + u"8080bf1020304000\n"_qs;
        gateway.send(text);
    }
    gateway.socket.flush();
    QTRY_COMPARE_WITH_TIMEOUT(sub.frameLines().size(), Messages * FramesPerMessage, 5000);
    QCOMPARE(relayForBurst->stats().devices, Messages * FramesPerMessage);
}

QTEST_MAIN(TestRelayProtocol)
#include "tst_relayprotocol.moc"
