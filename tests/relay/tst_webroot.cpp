// --web-root over real sockets: every route (/, /apps/<name>/, /static/, /js/, /config.js,
// /api/apps, --default-app), what browsers rely on (content types, ETag and Last-Modified with
// 304, HEAD, Range with 206 and 416, gzip, keep-alive with its request cap), every spelling of a
// way out of the root (raw, encoded and mixed "..", NUL, backslash, dotfiles, a symlink out),
// 405 for other methods, the web root's commands.json in the registry, and the same paths
// answering 404 without --web-root.
#include "relayoptions.h"
#include "relaytestclient.h"
#include "webrootpath.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <zlib.h>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lowercased
    QByteArray body;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name)
                return value;
        }
        return {};
    }
};

// One connection that can carry several requests (keep-alive); reads each answer by its
// Content-Length, as a browser does.
class HttpConnection
{
public:
    explicit HttpConnection(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        // A connection that failed shows as an empty reply to the first request.
        (void)QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000);
    }

    Reply send(const QByteArray &request, bool headOnly = false)
    {
        Reply reply;
        m_socket.write(request);
        qsizetype headEnd = -1;
        qint64 length = -1;
        (void)QTest::qWaitFor( // an incomplete reply is what the caller sees and checks
            [&] {
                m_buffer += m_socket.readAll();
                if (headEnd < 0) {
                    headEnd = m_buffer.indexOf("\r\n\r\n");
                    if (headEnd < 0)
                        return m_socket.state() == QAbstractSocket::UnconnectedState;
                    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
                    reply.status = lines.value(0).split(' ').value(1).toInt();
                    for (qsizetype i = 1; i < lines.size(); ++i) {
                        const qsizetype colon = lines[i].indexOf(':');
                        reply.headers.append(
                            {lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
                    }
                    length
                        = headOnly || reply.status == 304 ? 0 : reply.header("content-length").toLongLong();
                }
                return m_buffer.size() - headEnd - 4 >= length;
            },
            10000);
        if (headEnd < 0)
            return {};
        reply.body = m_buffer.mid(headEnd + 4, length);
        m_buffer.remove(0, headEnd + 4 + qMax<qint64>(0, length));
        return reply;
    }

    Reply get(const QByteArray &path, const QByteArray &headers = {})
    {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
    }

    bool closedByPeer()
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, 10000);
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

bool write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QByteArray gunzip(const QByteArray &data)
{
    z_stream stream {};
    inflateInit2(&stream, 15 + 16);
    QByteArray out(8 * 1024 * 1024, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = inflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

std::unique_ptr<RelayServer> startWithWebRoot(const WebRootSettings &settings)
{
    RelayConfig config;
    config.webRoot = settings;
    return startRelay(config);
}

} // namespace

class TestWebRoot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup() { relay.reset(); }

    void landingPageListsApps();
    void appFiles_data();
    void appFiles();
    void folderWithoutSlashRedirects();
    void configJs();
    void configJsPublicUrl();
    void apiApps();
    void defaultAppRedirects();
    void badDefaultAppIsRefused();
    void commandsJsonMerged();
    void conditionalRequests();
    void headAndRange();
    void gzipForText();
    void keepAliveAndItsCap();
    void largeFileStreamsWhole();
    void escapes_data();
    void escapes();
    void otherMethodsAre405();
    void withoutWebRootThesePathsAre404();
    void firmwareFolderComesFromTheWebRoot();
    void resolverUnit_data();
    void resolverUnit();

private:
    QTemporaryDir dir;
    QTemporaryDir outside;
    QString root;
    QByteArray bigFile;
    std::unique_ptr<RelayServer> relay;
};

void TestWebRoot::initTestCase()
{
    QVERIFY(dir.isValid() && outside.isValid());
    root = dir.path() + u"/root"_qs;
    QVERIFY(write(root + u"/apps/dashboard/index.html"_qs,
                  "<!doctype html><script src=\"/config.js\"></script><script src=\"app.js\"></script>"));
    QVERIFY(write(root + u"/apps/dashboard/app.js"_qs, "console.log('dashboard');\n"));
    QVERIFY(write(root + u"/apps/dashboard/style.css"_qs, "body { color: red; }\n"));
    QVERIFY(write(root + u"/apps/dashboard/logo.png"_qs, QByteArray::fromHex("89504e470d0a1a0a")));
    QVERIFY(write(root + u"/apps/dashboard/README.md"_qs,
                  "# Dashboard\n\nThe **room** at a glance, see [docs](http://x).\nSecond line.\n\nMore.\n"));
    QVERIFY(write(root + u"/apps/mapper/index.html"_qs, "<!doctype html>mapper"));
    QVERIFY(write(root + u"/apps/notanapp/readme.txt"_qs, "no index.html"));
    QByteArray library;
    for (int i = 0; i < 20000; ++i)
        library += "function f" + QByteArray::number(i) + "() { return " + QByteArray::number(i) + "; }\n";
    QVERIFY(write(root + u"/vendor/js/p5.min.js"_qs, library));
    QVERIFY(write(root + u"/.env"_qs, "SECRET=1"));
    QVERIFY(write(root + u"/apps/dashboard/.git/config"_qs, "secret"));
    bigFile.resize(3 * 1024 * 1024 + 17);
    for (qsizetype i = 0; i < bigFile.size(); ++i)
        bigFile[i] = char((i * 131) % 251);
    QVERIFY(write(root + u"/firmware/big.bin"_qs, bigFile));
    QVERIFY(write(root + u"/commands.json"_qs,
                  R"({"commands": {"hub_only": {"description": "from the web root", "parameters": []}}})"));
    QVERIFY(write(outside.path() + u"/secret.txt"_qs, "outside the root"));
    QVERIFY(QFile::link(outside.path() + u"/secret.txt"_qs, root + u"/apps/dashboard/escape.txt"_qs));
    QVERIFY(QFile::link(outside.path(), root + u"/apps/dashboard/outdir"_qs));
    QVERIFY(QFile::link(root + u"/apps/dashboard/app.js"_qs, root + u"/apps/mapper/shared.js"_qs));
}

void TestWebRoot::init()
{
    relay = startWithWebRoot({root, {}, {}});
    QVERIFY(relay);
}

void TestWebRoot::landingPageListsApps()
{
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("text/html; charset=utf-8"));
    QVERIFY(reply.body.contains("href=\"/apps/dashboard/\""));
    QVERIFY(reply.body.contains("href=\"/apps/mapper/\""));
    QVERIFY2(reply.body.contains("The room at a glance, see docs. Second line."), reply.body.constData());
    QVERIFY(!reply.body.contains("notanapp"));
    QVERIFY(!reply.body.contains("More."));
}

void TestWebRoot::appFiles_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("start");
    QTest::newRow("index") << QByteArray("/apps/dashboard/") << QByteArray("text/html; charset=utf-8")
                           << QByteArray("<!doctype html>");
    QTest::newRow("index by name") << QByteArray("/apps/dashboard/index.html")
                                   << QByteArray("text/html; charset=utf-8") << QByteArray("<!doctype html>");
    QTest::newRow("script") << QByteArray("/apps/dashboard/app.js")
                            << QByteArray("text/javascript; charset=utf-8") << QByteArray("console.log");
    QTest::newRow("styles") << QByteArray("/apps/dashboard/style.css")
                            << QByteArray("text/css; charset=utf-8") << QByteArray("body");
    QTest::newRow("image") << QByteArray("/apps/dashboard/logo.png") << QByteArray("image/png")
                           << QByteArray::fromHex("89504e47");
    QTest::newRow("query ignored") << QByteArray("/apps/dashboard/app.js?v=3")
                                   << QByteArray("text/javascript; charset=utf-8")
                                   << QByteArray("console.log");
    QTest::newRow("symlink inside") << QByteArray("/apps/mapper/shared.js")
                                    << QByteArray("text/javascript; charset=utf-8")
                                    << QByteArray("console.log");
    QTest::newRow("static") << QByteArray("/static/vendor/js/p5.min.js")
                            << QByteArray("text/javascript; charset=utf-8") << QByteArray("function f0()");
    QTest::newRow("cdn route") << QByteArray("/js/p5.min.js") << QByteArray("text/javascript; charset=utf-8")
                               << QByteArray("function f0()");
    QTest::newRow("encoded name") << QByteArray("/apps/dashboard/%61pp.js")
                                  << QByteArray("text/javascript; charset=utf-8")
                                  << QByteArray("console.log");
}

void TestWebRoot::appFiles()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, start);
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get(path);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), type);
    QVERIFY2(reply.body.startsWith(start), reply.body.left(80).constData());
    QCOMPARE(reply.header("access-control-allow-origin"), QByteArray("*"));
}

void TestWebRoot::folderWithoutSlashRedirects()
{
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/apps/dashboard");
    QCOMPARE(reply.status, 302);
    QCOMPARE(reply.header("location"), QByteArray("/apps/dashboard/"));
    QCOMPARE(http.get("/apps/").status, 302); // the list is at /
    QCOMPARE(http.get("/apps/notanapp/").status, 404);
}

void TestWebRoot::configJs()
{
    HttpConnection http(relay->serverPort());
    // The address the request came to, as a phone on the LAN used it.
    const Reply reply = http.send("GET /config.js HTTP/1.1\r\nHost: 192.168.1.20:5003\r\n\r\n");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.header("content-type"), QByteArray("text/javascript; charset=utf-8"));
    QCOMPARE(reply.body,
             QByteArray("window.APP_CONFIG = {\"appsBaseUrl\":\"/apps\",\"cdnBaseUrl\":\"/static/vendor\","
                        "\"wsDefaultUrl\":\"ws://192.168.1.20:5003\"};\n"));
    // A Host that could break out of the script is refused.
    QCOMPARE(http.send("GET /config.js HTTP/1.1\r\nHost: x\";alert(1);//\r\n\r\n").status, 400);
}

void TestWebRoot::configJsPublicUrl()
{
    relay = startWithWebRoot({root, u"wss://room.example.org/</script>"_qs, {}});
    QVERIFY(relay);
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/config.js");
    QVERIFY2(reply.body.contains("\"wsDefaultUrl\":\"wss://room.example.org/\\u003c/script>\""),
             reply.body.constData());
}

void TestWebRoot::apiApps()
{
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/api/apps");
    QCOMPARE(reply.status, 200);
    const QJsonArray apps = QJsonDocument::fromJson(reply.body).object().value(u"apps"_qs).toArray();
    QCOMPARE(apps.size(), 2);
    QCOMPARE(apps.at(0).toObject().value(u"name"_qs).toString(), u"dashboard"_qs);
    QCOMPARE(apps.at(0).toObject().value(u"url"_qs).toString(), u"/apps/dashboard/"_qs);
    QVERIFY(apps.at(0).toObject().value(u"description"_qs).toString().startsWith(u"The room at a glance"_qs));
    QCOMPARE(apps.at(1).toObject().value(u"name"_qs).toString(), u"mapper"_qs);
}

void TestWebRoot::defaultAppRedirects()
{
    relay = startWithWebRoot({root, {}, u"mapper"_qs});
    QVERIFY(relay);
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/");
    QCOMPARE(reply.status, 302);
    QCOMPARE(reply.header("location"), QByteArray("/apps/mapper/"));
}

void TestWebRoot::badDefaultAppIsRefused()
{
    for (const QString &app : {u"nope"_qs, u"notanapp"_qs, u"../apps/mapper"_qs}) {
        RelayConfig config;
        config.port = 0;
        config.host = QHostAddress::LocalHost;
        config.webRoot.dir = root;
        config.webRoot.defaultApp = app;
        RelayServer server(config);
        QString error;
        QVERIFY(!server.listen(&error));
        QVERIFY2(error.startsWith(u"--default-app: '"_qs + app), qPrintable(error));
    }
    RelayConfig config;
    config.port = 0;
    config.webRoot.dir = root + u"/missing"_qs;
    RelayServer server(config);
    QString error;
    QVERIFY(!server.listen(&error));
    QVERIFY2(error.contains(u"is not a folder"_qs), qPrintable(error));
}

void TestWebRoot::commandsJsonMerged()
{
    QVERIFY(relay->registry().names().contains(u"hub_only"_qs));
    QVERIFY(relay->registry().names().contains(u"led"_qs)); // the built-ins stay
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get("/static/commands.json"); // the registry in use, not the file
    QCOMPARE(reply.status, 200);
    const QJsonObject commands
        = QJsonDocument::fromJson(reply.body).object().value(u"commands"_qs).toObject();
    QVERIFY(commands.contains(u"hub_only"_qs));
    QVERIFY(commands.contains(u"led"_qs));
}

void TestWebRoot::conditionalRequests()
{
    HttpConnection http(relay->serverPort());
    const Reply first = http.get("/apps/dashboard/app.js");
    QCOMPARE(first.status, 200);
    const QByteArray etag = first.header("etag");
    const QByteArray modified = first.header("last-modified");
    QVERIFY(etag.startsWith('"') && etag.endsWith('"'));
    QVERIFY(modified.endsWith(" GMT"));
    QCOMPARE(first.header("cache-control"), QByteArray("no-cache"));

    Reply again = http.get("/apps/dashboard/app.js", "If-None-Match: " + etag + "\r\n");
    QCOMPARE(again.status, 304);
    QVERIFY(again.body.isEmpty());
    QCOMPARE(again.header("etag"), etag);
    again = http.get("/apps/dashboard/app.js", "If-None-Match: \"other\", W/" + etag + "\r\n");
    QCOMPARE(again.status, 304);
    again = http.get("/apps/dashboard/app.js", "If-Modified-Since: " + modified + "\r\n");
    QCOMPARE(again.status, 304);
    again = http.get("/apps/dashboard/app.js", "If-None-Match: \"stale\"\r\n");
    QCOMPARE(again.status, 200);
    again = http.get("/apps/dashboard/app.js", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT\r\n");
    QCOMPARE(again.status, 200);
}

void TestWebRoot::headAndRange()
{
    HttpConnection http(relay->serverPort());
    // The web root's firmware/ is the relay's firmware folder (/firmware/), and under /static/.
    const Reply head = http.send("HEAD /firmware/big.bin HTTP/1.1\r\nHost: x\r\n\r\n", true);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-length"), QByteArray::number(bigFile.size()));
    const Reply staticHead = http.send("HEAD /static/firmware/big.bin HTTP/1.1\r\nHost: x\r\n\r\n", true);
    QCOMPARE(staticHead.status, 200);
    QCOMPARE(staticHead.header("content-length"), QByteArray::number(bigFile.size()));
    QCOMPARE(staticHead.header("accept-ranges"), QByteArray("bytes"));
    QCOMPARE(staticHead.header("content-type"), QByteArray("application/octet-stream"));
    // The connection still works after a HEAD: no body was sent.
    const Reply part = http.get("/static/firmware/big.bin", "Range: bytes=1000-1999\r\n");
    QCOMPARE(part.status, 206);
    QCOMPARE(part.header("content-range"), "bytes 1000-1999/" + QByteArray::number(bigFile.size()));
    QCOMPARE(part.body, bigFile.mid(1000, 1000));
    const Reply tail = http.get("/static/firmware/big.bin", "Range: bytes=-10\r\n");
    QCOMPARE(tail.status, 206);
    QCOMPARE(tail.body, bigFile.right(10));
    const Reply open = http.get("/static/firmware/big.bin", "Range: bytes=3145700-\r\n");
    QCOMPARE(open.status, 206);
    QCOMPARE(open.body, bigFile.mid(3145700));
    const Reply beyond = http.get("/static/firmware/big.bin", "Range: bytes=99999999-\r\n");
    QCOMPARE(beyond.status, 416);
    QCOMPARE(beyond.header("content-range"), "bytes */" + QByteArray::number(bigFile.size()));
    // If-Range with another version: the whole file.
    const Reply stale = http.get("/static/firmware/big.bin", "Range: bytes=0-9\r\nIf-Range: \"old\"\r\n");
    QCOMPARE(stale.status, 200);
    QCOMPARE(stale.body.size(), bigFile.size());
}

void TestWebRoot::gzipForText()
{
    HttpConnection http(relay->serverPort());
    const Reply plain = http.get("/js/p5.min.js");
    const Reply packed = http.get("/js/p5.min.js", "Accept-Encoding: gzip, deflate, br\r\n");
    QCOMPARE(packed.status, 200);
    QCOMPARE(packed.header("content-encoding"), QByteArray("gzip"));
    QCOMPARE(packed.header("vary"), QByteArray("Accept-Encoding"));
    QVERIFY(packed.body.size() < plain.body.size() / 3);
    QCOMPARE(gunzip(packed.body), plain.body);
    QVERIFY(packed.header("etag") != plain.header("etag"));
    QCOMPARE(http.get("/js/p5.min.js", "Accept-Encoding: gzip;q=0\r\n").header("content-encoding"),
             QByteArray());
    // Not for binaries.
    QCOMPARE(http.get("/apps/dashboard/logo.png", "Accept-Encoding: gzip\r\n").header("content-encoding"),
             QByteArray());
}

void TestWebRoot::keepAliveAndItsCap()
{
    HttpConnection http(relay->serverPort());
    for (int i = 0; i < 99; ++i) {
        const Reply reply = http.get(i % 2 ? "/apps/dashboard/app.js" : "/health");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("connection"), QByteArray("keep-alive"));
    }
    const Reply last = http.get("/apps/dashboard/app.js"); // the 100th: the cap
    QCOMPARE(last.status, 200);
    QCOMPARE(last.header("connection"), QByteArray("close"));
    QVERIFY(http.closedByPeer());

    HttpConnection closing(relay->serverPort());
    QCOMPARE(closing.get("/apps/dashboard/app.js", "Connection: close\r\n").header("connection"),
             QByteArray("close"));
    QVERIFY(closing.closedByPeer());
    HttpConnection old(relay->serverPort());
    QCOMPARE(old.send("GET /apps/dashboard/app.js HTTP/1.0\r\n\r\n").header("connection"),
             QByteArray("close"));
    QVERIFY(old.closedByPeer());
}

void TestWebRoot::largeFileStreamsWhole()
{
    // Several at once, on one loop: each gets every byte.
    std::vector<std::unique_ptr<HttpConnection>> connections;
    for (int i = 0; i < 4; ++i)
        connections.push_back(std::make_unique<HttpConnection>(relay->serverPort()));
    for (auto &connection : connections) {
        const Reply reply = connection->get("/static/firmware/big.bin");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body.size(), bigFile.size());
        QVERIFY(reply.body == bigFile);
    }
}

void TestWebRoot::escapes_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("raw ..") << QByteArray("/static/../../../etc/passwd") << 400;
    QTest::newRow("app ..") << QByteArray("/apps/dashboard/../../commands.json") << 400;
    QTest::newRow("encoded ..") << QByteArray("/static/%2e%2e/%2e%2e/etc/passwd") << 400;
    QTest::newRow("upper-case encoded") << QByteArray("/static/%2E%2E/etc/passwd") << 400;
    QTest::newRow("mixed ..") << QByteArray("/static/.%2e/etc/passwd") << 400;
    QTest::newRow("encoded slash") << QByteArray("/apps/dashboard/..%2f..%2f..%2fetc%2fpasswd") << 400;
    QTest::newRow("js ..") << QByteArray("/js/..%2F..%2Fcommands.json") << 400;
    QTest::newRow("double encoded") << QByteArray("/static/%252e%252e/etc/passwd") << 404;
    QTest::newRow("backslash") << QByteArray("/static/..%5c..%5cetc%5cpasswd") << 400;
    QTest::newRow("NUL") << QByteArray("/apps/dashboard/app.js%00.png") << 400;
    QTest::newRow("bad escape") << QByteArray("/static/%zz") << 400;
    QTest::newRow("truncated escape") << QByteArray("/static/vendor%2") << 400;
    QTest::newRow("dot segment") << QByteArray("/static/./vendor/js/p5.min.js") << 400;
    QTest::newRow("absolute") << QByteArray("/static//etc/passwd") << 404;
    QTest::newRow("dotfile") << QByteArray("/static/.env") << 404;
    QTest::newRow("dot folder") << QByteArray("/apps/dashboard/.git/config") << 404;
    QTest::newRow("symlink out") << QByteArray("/apps/dashboard/escape.txt") << 404;
    QTest::newRow("symlinked folder out") << QByteArray("/apps/dashboard/outdir/secret.txt") << 404;
    QTest::newRow("invalid UTF-8") << QByteArray("/static/%ff%fe") << 400;
    QTest::newRow("missing") << QByteArray("/apps/dashboard/nope.js") << 404;
}

void TestWebRoot::escapes()
{
    QFETCH(QByteArray, path);
    QFETCH(int, status);
    HttpConnection http(relay->serverPort());
    const Reply reply = http.get(path);
    QCOMPARE(reply.status, status);
    QVERIFY(!reply.body.contains("outside the root"));
    QVERIFY(!reply.body.contains("root:"));
    QVERIFY(!reply.body.contains("SECRET"));
}

void TestWebRoot::otherMethodsAre405()
{
    for (const QByteArray method : {"POST", "PUT", "DELETE", "PATCH"}) {
        HttpConnection http(relay->serverPort());
        const Reply reply
            = http.send(method + " /apps/dashboard/app.js HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        QCOMPARE(reply.status, 405);
    }
}

void TestWebRoot::withoutWebRootThesePathsAre404()
{
    relay = startRelay();
    QVERIFY(relay);
    for (const QByteArray path : {"/", "/apps/dashboard/", "/static/vendor/js/p5.min.js", "/js/p5.min.js",
                                  "/config.js", "/api/apps"}) {
        HttpConnection http(relay->serverPort());
        QCOMPARE(http.get(path).status, 404);
    }
    HttpConnection http(relay->serverPort());
    QCOMPARE(http.get("/static/commands.json").status, 200);
    QCOMPARE(http.get("/phone").status, 200);
}

void TestWebRoot::firmwareFolderComesFromTheWebRoot()
{
    // As a user starts it: only --web-root (whose firmware/ holds big.bin) and --allow-ota.
    const auto start = [](const QString &webRoot) -> std::unique_ptr<RelayServer> {
        RelayOptions options;
        QString error;
        if (options.parse({u"relay"_qs, u"--web-root"_qs, webRoot, u"--allow-ota"_qs, u"--token"_qs, u"t"_qs},
                          {}, &error)
            != RelayOptions::Outcome::Run) {
            qWarning("%s", qPrintable(error));
            return nullptr;
        }
        return startRelay(options.config);
    };
    relay = start(root);
    QVERIFY(relay);
    QJsonObject list
        = QJsonDocument::fromJson(HttpConnection(relay->serverPort()).get("/firmware").body).object();
    const QJsonArray files = list.value(u"files"_qs).toArray();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files[0][u"name"_qs].toString(), u"big.bin"_qs);
    QCOMPARE(files[0][u"bytes"_qs].toInteger(), bigFile.size());
    QVERIFY(list.value(u"error"_qs).isUndefined());

    // As the console's built-in relay is configured: a RelayConfig with only the web root.
    relay = startWithWebRoot({root, {}, {}});
    QVERIFY(relay);
    list = QJsonDocument::fromJson(HttpConnection(relay->serverPort()).get("/firmware").body).object();
    QCOMPARE(list.value(u"files"_qs).toArray().size(), 1);

    // A web root without firmware/: no firmware folder, and the list says so.
    QTemporaryDir bare;
    relay = start(bare.path());
    QVERIFY(relay);
    list = QJsonDocument::fromJson(HttpConnection(relay->serverPort()).get("/firmware").body).object();
    QVERIFY(list.value(u"files"_qs).toArray().isEmpty());
    QVERIFY2(list.value(u"error"_qs).toString().contains(u"no firmware folder"_qs),
             QJsonDocument(list).toJson().constData());
}

void TestWebRoot::resolverUnit_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<int>("verdict");
    using V = WebRootPath::Verdict;
    QTest::newRow("file") << QByteArray("apps/dashboard/app.js") << int(V::File);
    QTest::newRow("folder slash") << QByteArray("apps/dashboard/") << int(V::File);
    QTest::newRow("folder") << QByteArray("apps/dashboard") << int(V::Folder);
    QTest::newRow("root") << QByteArray("") << int(V::NotFound); // no index.html at the top
    QTest::newRow("..") << QByteArray("..") << int(V::BadRequest);
    QTest::newRow("trailing ..") << QByteArray("apps/..") << int(V::BadRequest);
}

void TestWebRoot::resolverUnit()
{
    QFETCH(QByteArray, path);
    QFETCH(int, verdict);
    const QString canonical = QFileInfo(root).canonicalFilePath();
    const WebRootPath::Resolved resolved = WebRootPath::resolve(path, canonical, u"index.html"_qs);
    QCOMPARE(int(resolved.verdict), verdict);
    if (resolved.verdict == WebRootPath::Verdict::File)
        QVERIFY(resolved.file.startsWith(canonical + u'/'));
}

QTEST_MAIN(TestWebRoot)
#include "tst_webroot.moc"
