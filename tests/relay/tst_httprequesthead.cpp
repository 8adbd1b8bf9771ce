#include "httprequesthead.h"

#include <QTest>

using GroupLoop::HttpRequestHead;
using Status = GroupLoop::HttpRequestHead::Status;

class TestHttpRequestHead : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void upgradeDetection_data();
    void upgradeDetection();
};

void TestHttpRequestHead::parse_data()
{
    QTest::addColumn<QByteArray>("buffer");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("length");

    QTest::newRow("simple") << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") << int(Status::Complete)
                            << QByteArray("/health") << QByteArray() << 33;
    QTest::newRow("query and body after")
        << QByteArray("GET /devices?token=abc HTTP/1.0\r\n\r\nBODY") << int(Status::Complete)
        << QByteArray("/devices") << QByteArray("token=abc") << 35;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << int(Status::Complete)
                             << QByteArray("/") << QByteArray() << 24;
    QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n") << int(Status::Incomplete)
                                << QByteArray() << QByteArray() << 0;
    QTest::newRow("empty") << QByteArray() << int(Status::Incomplete) << QByteArray() << QByteArray() << 0;
    QTest::newRow("not http") << QByteArray("\x16\x03\x01\x02\x00", 5) << int(Status::Malformed)
                              << QByteArray() << QByteArray() << 0;
    QTest::newRow("websocket frame") << QByteArray("\x81\x85garbage") << int(Status::Malformed)
                                     << QByteArray() << QByteArray() << 0;
    QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                                    << int(Status::Malformed) << QByteArray() << QByteArray() << 0;
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << int(Status::Malformed) << QByteArray()
                               << QByteArray() << 0;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n")
                                          << int(Status::Malformed) << QByteArray() << QByteArray() << 0;
    QTest::newRow("space in header name") << QByteArray("GET / HTTP/1.1\r\nHo st: x\r\n\r\n")
                                          << int(Status::Malformed) << QByteArray() << QByteArray() << 0;
}

void TestHttpRequestHead::parse()
{
    QFETCH(QByteArray, buffer);
    QFETCH(int, status);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, query);
    QFETCH(int, length);
    HttpRequestHead head;
    qsizetype headLength = 0;
    QCOMPARE(int(HttpRequestHead::parse(buffer, &head, &headLength)), status);
    if (status == int(Status::Complete)) {
        QCOMPARE(head.path(), path);
        QCOMPARE(head.query(), query);
        QCOMPARE(headLength, length);
    }
}

void TestHttpRequestHead::upgradeDetection_data()
{
    QTest::addColumn<QByteArray>("buffer");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("browser") << QByteArray(
        "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
        "Upgrade: websocket\r\n\r\n")
                             << true;
    QTest::newRow("mixed case") << QByteArray(
        "GET / HTTP/1.1\r\nCONNECTION: upgrade\r\nupgrade: WebSocket\r\n\r\n")
                                << true;
    QTest::newRow("plain get") << QByteArray("GET /health HTTP/1.1\r\nHost: h\r\n\r\n") << false;
    QTest::newRow("post upgrade") << QByteArray(
        "POST / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
                                  << false;
    QTest::newRow("h2c upgrade") << QByteArray(
        "GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
                                 << false;
}

void TestHttpRequestHead::upgradeDetection()
{
    QFETCH(QByteArray, buffer);
    QFETCH(bool, upgrade);
    HttpRequestHead head;
    qsizetype length = 0;
    QCOMPARE(HttpRequestHead::parse(buffer, &head, &length), Status::Complete);
    QCOMPARE(head.isWebSocketUpgrade(), upgrade);
}

QTEST_APPLESS_MAIN(TestHttpRequestHead)
#include "tst_httprequesthead.moc"
