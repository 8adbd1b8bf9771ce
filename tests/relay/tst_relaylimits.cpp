// Every input limit closes the offender with the right code and leaves others unharmed.
#include "relaytestclient.h"

#include <QElapsedTimer>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

class TestRelayLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oversizeMessageClosesWith1009();
    void rateLimitClosesWith1008();
    void junkFloodIsRateLimitedToo();
    void silentHandshakeIsDropped();
    void connectionLimitRefusesExtraClients();
    void peerThatNeverPongsIsDropped();
    void pingsKeepAnsweringPeersAlive();
    void slowSubscriberIsCoalescedThenClosed();
    void shutdownClosesClientsWith1001();
};

void TestRelayLimits::oversizeMessageClosesWith1009()
{
    RelayConfig config;
    config.maxMessageBytes = 1024;
    config.maxFrameBytes = 1024;
    auto relay = startRelay(config);
    TestClient big, bystander;
    QVERIFY(big.open(*relay) && bystander.open(*relay));
    big.send(QString(2000, u'a'));
    QTRY_VERIFY(big.closed);
    QCOMPARE(big.socket.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QTRY_COMPARE(relay->stats().closedOversize, 1u);
    QCOMPARE(bystander.request(u"ping"_qs), u"pong"_qs);
    // Just under the limit is fine.
    TestClient fits;
    QVERIFY(fits.open(*relay));
    fits.send(QString(1000, u'a'));
    QCOMPARE(fits.request(u"ping"_qs), u"pong"_qs);
}

void TestRelayLimits::rateLimitClosesWith1008()
{
    RelayConfig config;
    config.maxFramesPerSecond = 50;
    auto relay = startRelay(config);
    TestClient flooder, sub, polite;
    QVERIFY(flooder.open(*relay) && sub.open(*relay) && polite.open(*relay));
    QCOMPARE(sub.request(u"s"_qs), u"stream:on"_qs);
    for (int i = 0; i < 200; ++i)
        flooder.send(u"dead8080bf1020304000"_qs);
    polite.send(u"00018080bf1020304000"_qs);
    QTRY_VERIFY(flooder.closed);
    QCOMPARE(flooder.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY(flooder.socket.closeReason().contains(u"rate"));
    QCOMPARE(relay->stats().closedRateLimit, 1u);
    QTRY_VERIFY(sub.frameLines().contains(u"00018080bf1020304000"_qs));
    QVERIFY(sub.frameLines().count(u"dead8080bf1020304000"_qs) <= 51); // one second's burst at most
}

void TestRelayLimits::junkFloodIsRateLimitedToo()
{
    RelayConfig config;
    config.maxFramesPerSecond = 20;
    auto relay = startRelay(config);
    TestClient flooder;
    QVERIFY(flooder.open(*relay));
    for (int i = 0; i < 100; ++i)
        flooder.send(u"not a frame"_qs);
    QTRY_VERIFY(flooder.closed);
    QCOMPARE(flooder.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
}

void TestRelayLimits::silentHandshakeIsDropped()
{
    RelayConfig config;
    config.handshakeTimeoutMs = 300;
    auto relay = startRelay(config);
    // One starts its request head and never finishes it (over TLS: after the TLS handshake);
    // one connects and never says a word (over TLS: no ClientHello either).
    QSslSocket silent;
    QVERIFY(connectSocket(silent, relay->serverPort()));
    silent.write("GET / HTTP/1.1\r\nHost: x\r\n"); // never finishes its head
    QTcpSocket mute;
    mute.connectToHost(QHostAddress::LocalHost, relay->serverPort());
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(mute.state(), QAbstractSocket::UnconnectedState, 3000);
    QVERIFY(timer.elapsed() >= 250);
    QCOMPARE(relay->stats().rejectedHandshake, 2u);
    QCOMPARE(relay->stats().tlsHandshakeFailures, 0u); // slow is not broken
    // Meanwhile a proper client is served.
    TestClient client;
    QVERIFY(client.open(*relay));
}

void TestRelayLimits::connectionLimitRefusesExtraClients()
{
    RelayConfig config;
    config.maxConnections = 2;
    auto relay = startRelay(config);
    TestClient a, b, c;
    QVERIFY(a.open(*relay) && b.open(*relay));
    QVERIFY(!c.open(*relay));
    QTRY_VERIFY(c.closed);
    QVERIFY(relay->stats().rejectedConnectionLimit >= 1u);
    a.socket.close();
    QTRY_COMPARE(relay->stats().connections, 1);
    TestClient d;
    QVERIFY(d.open(*relay));
}

void TestRelayLimits::peerThatNeverPongsIsDropped()
{
    RelayConfig config;
    config.pingIntervalMs = 200;
    config.pongTimeoutMs = 300;
    auto relay = startRelay(config);
    RawPeer deaf; // never reads, so never answers a ping
    QVERIFY(deaf.handshake(relay->serverPort()));
    QTRY_COMPARE(relay->stats().connections, 1);
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().closedPingTimeout, 1u, 4000);
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().connections, 0, 4000);
}

void TestRelayLimits::pingsKeepAnsweringPeersAlive()
{
    RelayConfig config;
    config.pingIntervalMs = 100;
    config.pongTimeoutMs = 150;
    auto relay = startRelay(config);
    TestClient quiet; // QWebSocket answers pings by itself
    QVERIFY(quiet.open(*relay));
    QTest::qWait(1000);
    QVERIFY(!quiet.closed);
    QCOMPARE(relay->stats().closedPingTimeout, 0u);
}

void TestRelayLimits::slowSubscriberIsCoalescedThenClosed()
{
    RelayConfig config;
    config.outboxHighWaterBytes = 64 * 1024;
    config.slowConsumerTimeoutMs = 1500;
    config.maxFramesPerSecond = 1e6;
    config.maxMessageBytes = 64 * 1024;
    auto relay = startRelay(config);

    RawPeer stuck; // subscribes, then never reads again
    QVERIFY(stuck.handshake(relay->serverPort(), 1024));
    stuck.socket.write(RawPeer::textFrame("s"));
    QTRY_COMPARE(relay->stats().subscribers, 1);
    TestClient healthy, gateway;
    QVERIFY(healthy.open(*relay) && gateway.open(*relay));
    QCOMPARE(healthy.request(u"s"_qs), u"stream:on"_qs);

    // 100 devices, 2,000 rounds: 4 MB for the stuck subscriber, more than loopback buffers hold.
    constexpr int Rounds = 2000;
    QString round;
    for (int id = 0; id < 100; ++id)
        round += SensorFrame::idToText(quint16(id)) + u"8080bf1020304000\n"_qs;
    qsizetype healthyFrames = 0;
    connect(&healthy.socket, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { healthyFrames += m.count(u'\n'); });
    for (int i = 0; i < Rounds; ++i) {
        gateway.send(round);
        if (i % 50 == 49)
            QTest::qWait(1);
    }
    // The healthy subscriber receives every frame, in full.
    QTRY_COMPARE_WITH_TIMEOUT(healthyFrames, qsizetype(Rounds) * 100, 30000);
    // The stream goes on, fast enough to fill the kernel's buffers towards the stuck peer
    // (loopback buffers grow to several MB): it goes over its mark, its frames are coalesced,
    // and it is closed after the timeout.
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (int i = 0; i < 20; ++i)
                gateway.send(round);
            return relay->stats().closedSlowConsumer == 1u;
        },
        20000));
    const RelayStats stats = relay->stats();
    QVERIFY2(stats.framesCoalesced > 0, "the stuck subscriber's frames were coalesced");
    // Memory stays bounded: what is queued never grows past the mark by more than one batch.
    QVERIFY2(stats.outboxPeakBytes <= config.outboxHighWaterBytes + 256 * 1024,
             qPrintable(QString::number(stats.outboxPeakBytes)));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().subscribers, 1, 5000);
    healthy.received.clear();
    healthy.sync(); // still answered
    QVERIFY(!healthy.closed);
}

void TestRelayLimits::shutdownClosesClientsWith1001()
{
    auto relay = startRelay();
    TestClient a, b;
    QVERIFY(a.open(*relay) && b.open(*relay));
    relay->shutdown();
    QTRY_VERIFY(a.closed && b.closed);
    QCOMPARE(a.socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(b.socket.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

QTEST_MAIN(TestRelayLimits)
#include "tst_relaylimits.moc"
