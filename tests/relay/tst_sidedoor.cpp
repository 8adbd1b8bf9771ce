// The HTTP side door on its own: HttpRouter's answers (exact and prefix routes, HEAD from GET,
// guards, 204/404/405 that list what is served), and SideDoor over real sockets with a fake
// host: request bodies for routes that take them (in pieces, too large, without a length),
// WebSocket upgrades handed over with the bytes after the head, refusals, and the limits that
// apply before a connection is a client (503, 431, 400, the handshake timeout).
#include "httpconnection.h"
#include "sidedoor.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace GroupLoop;

namespace {

HttpRequest request(const QByteArray &method, const QByteArray &target)
{
    HttpRequest r;
    r.head.method = method;
    r.head.target = target;
    r.head.version = "HTTP/1.1";
    return r;
}

HttpResponse textOf(const QByteArray &text)
{
    HttpResponse response;
    response.contentType = "text/plain";
    response.body = text;
    return response;
}

HttpRouter sampleRouter()
{
    HttpRouter router;
    router.get("/health", [](const HttpRequest &) { return textOf("healthy"); });
    router.get(
        "/secret", [](const HttpRequest &) { return textOf("secret"); },
        [](const HttpRequest &r) -> std::optional<HttpResponse> {
            if (r.head.query() == "token=ok")
                return std::nullopt;
            return HttpResponse::text(401, "no");
        });
    router.add({{"GET"},
                "/apps/",
                true,
                [](const HttpRequest &r) { return textOf("apps:" + r.head.path()); },
                {},
                0});
    router.add({{"GET"}, "/apps/admin/", true, [](const HttpRequest &) { return textOf("admin"); }, {}, 0});
    router.setNotFoundMessage("see /health");
    return router;
}

class FakeHost : public SideDoor::Host
{
public:
    int clientCount() const override { return clients; }
    std::optional<HttpResponse> upgrade(HttpConnection *connection, const HttpRequestHead &head,
                                        QByteArray received) override
    {
        upgrades.append(head.target);
        afterHead.append(received);
        if (refuse)
            return HttpResponse::text(401, "refused");
        connection->write("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        taken.append(connection); // the host owns it now
        return std::nullopt;
    }

    int clients = 0;
    bool refuse = false;
    QList<QByteArray> upgrades;
    QList<QByteArray> afterHead;
    QList<HttpConnection *> taken;
};

// A side door behind a listening server, as the relay has it.
class Door
{
public:
    explicit Door(SideDoorLimits limits = {})
        : door(limits, &host, &server)
    {
        server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection())
                door.accept(socket);
        });
    }
    ~Door() { qDeleteAll(host.taken); }

    // Sends `parts` with pauses between them; returns all the peer got until it closed (or 3 s).
    QByteArray exchange(const QList<QByteArray> &parts, bool waitForClose = true)
    {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!QTest::qWaitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }, 5000))
            return "no connection";
        for (const QByteArray &part : parts) {
            client.write(part);
            QTest::qWait(50);
        }
        QByteArray all;
        const bool answered = QTest::qWaitFor(
            [&] {
                all += client.readAll();
                return waitForClose ? client.state() == QAbstractSocket::UnconnectedState
                                    : all.contains("\r\n\r\n");
            },
            5000);
        all += client.readAll();
        return answered ? all : "no answer: " + all;
    }

    QTcpServer server;
    FakeHost host;
    SideDoor door;
};

int statusOf(const QByteArray &answer)
{
    return answer.mid(9, 3).toInt();
}

QByteArray bodyOf(const QByteArray &answer)
{
    return answer.mid(answer.indexOf("\r\n\r\n") + 4);
}

const QByteArray Upgrade
    = "GET /live?x=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

} // namespace

class TestSideDoor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routerAnswers_data();
    void routerAnswers();
    void headHasNoBody();
    void preflightAndMethodsFollowTheRoutes();
    void bodiesReachTheirRoute();
    void badBodiesAreRefused_data();
    void badBodiesAreRefused();
    void upgradesGoToTheHost();
    void incompleteUpgradesAreRefused_data();
    void incompleteUpgradesAreRefused();
    void limitsBeforeAClient();
    void keptAliveConnectionIdlesOut();
};

void TestSideDoor::routerAnswers_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("exact") << QByteArray("GET") << QByteArray("/health?x") << 200 << QByteArray("healthy");
    QTest::newRow("guarded, refused")
        << QByteArray("GET") << QByteArray("/secret") << 401 << QByteArray("no\n");
    QTest::newRow("guarded, let through")
        << QByteArray("GET") << QByteArray("/secret?token=ok") << 200 << QByteArray("secret");
    QTest::newRow("prefix") << QByteArray("GET") << QByteArray("/apps/tone/index.html") << 200
                            << QByteArray("apps:/apps/tone/index.html");
    QTest::newRow("longest prefix") << QByteArray("GET") << QByteArray("/apps/admin/x") << 200
                                    << QByteArray("admin");
    QTest::newRow("prefix is a folder")
        << QByteArray("GET") << QByteArray("/apps") << 404 << QByteArray("see /health\n");
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/nope") << 404
                                  << QByteArray("see /health\n");
    QTest::newRow("known path, other method") << QByteArray("POST") << QByteArray("/health") << 405
                                              << QByteArray("only GET, HEAD and OPTIONS are served here\n");
    QTest::newRow("method nobody takes") << QByteArray("DELETE") << QByteArray("/nope") << 405
                                         << QByteArray("only GET, HEAD and OPTIONS are served here\n");
}

void TestSideDoor::routerAnswers()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const HttpResponse response = sampleRouter().answer(request(method, target));
    QCOMPARE(response.status, status);
    QCOMPARE(response.body, body);
}

void TestSideDoor::headHasNoBody()
{
    const HttpResponse response = sampleRouter().answer(request("HEAD", "/health"));
    QCOMPARE(response.status, 200);
    const QByteArray bytes = response.toBytes();
    QVERIFY(bytes.contains("Content-Length: 7\r\n"));
    QVERIFY(bytes.endsWith("\r\n\r\n"));
    // An error to a HEAD has no body either: on a kept-alive connection the client would read
    // it as the start of the next answer.
    const QByteArray missing = sampleRouter().answer(request("HEAD", "/nope")).toBytes();
    QVERIFY(missing.startsWith("HTTP/1.1 404 "));
    QVERIFY(missing.endsWith("\r\n\r\n"));
}

void TestSideDoor::preflightAndMethodsFollowTheRoutes()
{
    HttpRouter router = sampleRouter();
    QCOMPARE(router.answer(request("OPTIONS", "/x")).toBytes(),
             QByteArray(
                 "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: "
                 "GET, HEAD, OPTIONS\r\nAccess-Control-Allow-Headers: Authorization, Content-Type\r\n"
                 "Connection: close\r\n\r\n"));
    router.add({{"POST", "DELETE"}, "/ota", false, [](const HttpRequest &) { return textOf("ok"); }, {}, 16});
    QVERIFY(router.answer(request("OPTIONS", "/x")).toBytes().contains("GET, HEAD, POST, DELETE, OPTIONS"));
    QCOMPARE(router.answer(request("POST", "/nope")).status, 404); // someone takes POST now
    QCOMPARE(router.answer(request("GET", "/ota")).body,
             QByteArray("only POST, DELETE and OPTIONS are served here\n"));
    QCOMPARE(router.answer(request("DELETE", "/ota")).status, 200);
}

void TestSideDoor::bodiesReachTheirRoute()
{
    Door door;
    QList<QByteArray> bodies;
    door.door.router().add({{"POST"},
                            "/echo",
                            false,
                            [&](const HttpRequest &r) {
                                bodies.append(r.body);
                                return textOf("got " + QByteArray::number(r.body.size()));
                            },
                            {},
                            16});
    QByteArray answer
        = door.exchange({"POST /echo HTTP/1.1\r\nContent-Length: 11\r\n\r\nhel", "lo ", "world and more"});
    QCOMPARE(statusOf(answer), 200);
    QCOMPARE(bodyOf(answer), QByteArray("got 11"));
    answer = door.exchange({"POST /echo HTTP/1.1\r\n\r\n"}); // no length: no body
    QCOMPARE(bodyOf(answer), QByteArray("got 0"));
    QCOMPARE(bodies, (QList<QByteArray> {"hello world", ""}));
    QCOMPARE(door.door.pendingCount(), 0);
}

void TestSideDoor::badBodiesAreRefused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("too large") << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 17\r\n\r\n") << 413;
    QTest::newRow("bad length") << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n") << 400;
    QTest::newRow("chunked") << QByteArray("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << 411;
}

void TestSideDoor::badBodiesAreRefused()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    Door door;
    bool called = false;
    door.door.router().add({{"POST"},
                            "/echo",
                            false,
                            [&](const HttpRequest &) {
                                called = true;
                                return textOf("");
                            },
                            {},
                            16});
    QCOMPARE(statusOf(door.exchange({request})), status);
    QVERIFY(!called);
}

void TestSideDoor::upgradesGoToTheHost()
{
    Door door;
    const QByteArray answer = door.exchange({Upgrade + "early bytes"}, false);
    QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
    QCOMPARE(door.host.upgrades, QList<QByteArray> {"/live?x=1"});
    QCOMPARE(door.host.afterHead, QList<QByteArray> {"early bytes"});
    QCOMPARE(door.door.pendingCount(), 0);

    door.host.refuse = true;
    QCOMPARE(statusOf(door.exchange({Upgrade})), 401);
    // Without a key the host never hears of it.
    QCOMPARE(statusOf(door.exchange({"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"})),
             400);
    QCOMPARE(door.host.upgrades.size(), 2);
    QCOMPARE(door.door.stats().rejectedHandshake, 1u);
}

void TestSideDoor::incompleteUpgradesAreRefused_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QByteArray>("why");
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    QTest::newRow("no Host") << QByteArray("Host: x\r\n") << QByteArray() << QByteArray("Host");
    QTest::newRow("empty Host") << QByteArray("Host: x") << QByteArray("Host:") << QByteArray("Host");
    QTest::newRow("key of 15 bytes") << key << QByteArray("dGhlIHNhbXBsZSBub25jZQ") << QByteArray("16 bytes");
    QTest::newRow("key of 17 bytes") << key << QByteArray("dGhlIHNhbXBsZSBub25jZSE=")
                                     << QByteArray("16 bytes");
    QTest::newRow("key not base64") << key << QByteArray("dGhlIHNhbXBsZSBub25j*Q==")
                                    << QByteArray("16 bytes");
    QTest::newRow("empty key") << key << QByteArray() << QByteArray("16 bytes");
    QTest::newRow("no key") << QByteArray("Sec-WebSocket-Key: " + key + "\r\n") << QByteArray()
                            << QByteArray("Sec-WebSocket-Key");
    QTest::newRow("version 8") << QByteArray("Version: 13") << QByteArray("Version: 8")
                               << QByteArray("Version: 13");
}

void TestSideDoor::incompleteUpgradesAreRefused()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QByteArray, why);
    Door door;
    QByteArray request = Upgrade;
    QVERIFY(request.contains(from));
    request.replace(from, to);
    const QByteArray answer = door.exchange({request});
    QCOMPARE(statusOf(answer), 400);
    QVERIFY2(bodyOf(answer).contains(why), answer.constData());
    QVERIFY(door.host.upgrades.isEmpty());
    QCOMPARE(door.door.stats().rejectedHandshake, 1u);
}

void TestSideDoor::limitsBeforeAClient()
{
    SideDoorLimits limits;
    limits.maxRequestHeadBytes = 256;
    limits.handshakeTimeoutMs = 100;
    limits.maxConnections = 3;
    Door door(limits);
    QCOMPARE(statusOf(door.exchange({"GET / HTTP/1.1\r\nX: " + QByteArray(300, 'a') + "\r\n\r\n"})), 431);
    QCOMPARE(statusOf(door.exchange({"NOT HTTP\r\n\r\n"})), 400);

    door.host.clients = 3; // the host's clients fill the limit
    QCOMPARE(statusOf(door.exchange({"GET /x HTTP/1.1\r\n\r\n"})), 503);
    QCOMPARE(door.door.stats().rejectedConnectionLimit, 1u);
    door.host.clients = 0;

    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, door.server.serverPort());
    QTRY_COMPARE(door.door.pendingCount(), 1);
    QTest::qWait(200);
    door.door.expireHandshakes();
    QCOMPARE(door.door.pendingCount(), 0);
    QTRY_COMPARE(silent.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(door.door.stats().rejectedHandshake, 3u); // 431, 400 and the timeout
}

void TestSideDoor::keptAliveConnectionIdlesOut()
{
    SideDoorLimits limits;
    limits.keepAliveIdleMs = 200;
    limits.handshakeTimeoutMs = 60000;
    Door door(limits);
    door.door.router() = sampleRouter();
    QTimer sweep; // the relay's housekeeping does this
    QObject::connect(&sweep, &QTimer::timeout, [&] { door.door.expireHandshakes(); });
    sweep.start(50);
    // Two requests in one write (pipelined): both answered, in order, on the one connection;
    // then, with no third, the connection closes without counting as a failed handshake.
    const QByteArray answers = door.exchange({"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                                              "GET /apps/a HTTP/1.1\r\nHost: x\r\n\r\n"});
    QVERIFY2(!answers.startsWith("no answer"), answers.constData()); // closed by the idle timeout
    QCOMPARE(answers.count("HTTP/1.1 200 OK"), 2);
    QVERIFY(answers.contains("Connection: keep-alive"));
    QVERIFY(answers.indexOf("healthy") < answers.indexOf("apps:/apps/a"));
    QCOMPARE(door.door.stats().rejectedHandshake, 0u);
    QCOMPARE(door.door.pendingCount(), 0);
}

QTEST_GUILESS_MAIN(TestSideDoor)
#include "tst_sidedoor.moc"
