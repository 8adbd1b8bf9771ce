// /phone as a device, in a real headless Chromium emulating a Pixel 7: the page streams frames
// with the bytes its synthetic motion, taps and room position call for, vibrates on command, works
// over the relay's TLS port, reconnects after the relay restarts and keeps its id across reloads.
// The relay runs in-process (PhonePageTest); tst_phoneleds checks what the page shows.
#include "phonepagetest.h"
#include "relayoptions.h"
#include "roommodel.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTemporaryDir>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

bool openssl(const QStringList &arguments, const QString &dir)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(u"openssl"_qs, arguments);
    return process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit
        && process.exitCode() == 0;
}

// docs/phone.md's steps: a certificate authority for the room, and the relay's certificate for
// its LAN address signed by it (here 127.0.0.1).
bool makeRoomCertificates(const QString &dir)
{
    const QStringList ec {u"-newkey"_qs, u"ec"_qs, u"-pkeyopt"_qs, u"ec_paramgen_curve:prime256v1"_qs,
                          u"-nodes"_qs};
    QFile ext(dir + u"/relay.ext"_qs);
    if (!ext.open(QIODevice::WriteOnly))
        return false;
    ext.write("subjectAltName=IP:127.0.0.1,DNS:grouploop.local\nextendedKeyUsage=serverAuth\n"
              "basicConstraints=CA:FALSE\n");
    ext.close();
    return openssl(QStringList {u"req"_qs, u"-x509"_qs} + ec
                       + QStringList {u"-days"_qs, u"825"_qs, u"-subj"_qs, u"/CN=GroupLoop room CA"_qs,
                                      u"-addext"_qs, u"basicConstraints=critical,CA:TRUE"_qs, u"-addext"_qs,
                                      u"keyUsage=critical,keyCertSign,cRLSign"_qs, u"-keyout"_qs,
                                      u"ca.key"_qs, u"-out"_qs, u"ca.pem"_qs},
                   dir)
        && openssl(QStringList {u"req"_qs} + ec
                       + QStringList {u"-subj"_qs, u"/CN=grouploop.local"_qs, u"-keyout"_qs, u"key.pem"_qs,
                                      u"-out"_qs, u"relay.csr"_qs},
                   dir)
        && openssl({u"x509"_qs, u"-req"_qs, u"-in"_qs, u"relay.csr"_qs, u"-CA"_qs, u"ca.pem"_qs, u"-CAkey"_qs,
                    u"ca.key"_qs, u"-CAcreateserial"_qs, u"-days"_qs, u"397"_qs, u"-extfile"_qs,
                    u"relay.ext"_qs, u"-out"_qs, u"cert.pem"_qs},
                   dir);
}

// One raw HTTP request (the test controls every byte); "<status> <content type>" and the body.
std::pair<QString, QByteArray> httpRequest(quint16 port, const QByteArray &requestLine)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray reply;
    const bool done = QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000)
        && socket.write(requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") > 0
        && QTest::qWaitFor(
                          [&] {
                              reply += socket.readAll();
                              return socket.state() == QAbstractSocket::UnconnectedState;
                          },
                          5000);
    reply += socket.readAll();
    if (!done)
        return {};
    const qsizetype split = reply.indexOf("\r\n\r\n");
    const QList<QByteArray> head = reply.left(split).split('\n');
    QString type;
    for (const QByteArray &line : head) {
        if (line.toLower().startsWith("content-type:"))
            type = QString::fromLatin1(line.mid(13).trimmed());
    }
    return {QString::fromLatin1(head.value(0).split(' ').value(1)) + u' ' + type, reply.mid(split + 4)};
}

} // namespace

class TestPhonePage : public PhonePageTest
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { openPhone(); }
    void cleanupTestCase() { closePhone(); }
    void framesCarryIdAndMotion();
    void tapIsOneFrame();
    void shakeIsOneTap();
    void roomMapSendsBeacons();
    void vibrateCallsNavigatorVibrate();
    void servedOverTls();
    void reconnectsAfterRelayRestart();
    void idSurvivesReload();
    void routeServesOnlyThePage_data();
    void routeServesOnlyThePage();
};

void TestPhonePage::framesCarryIdAndMotion()
{
    // Tilted: +0.5 g right, -1 g along the top edge, +1 g out of the screen.
    console->received.clear();
    for (int i = 0; i < 3; ++i)
        motion(0.5, -1.0, 1.0);
    const QString frame = waitForFrame(*console, u"9f40bf0000000000"_qs);
    QVERIFY2(!frame.isEmpty(), qPrintable(console->frameLines().join(u' ')));
    // Lying flat: az = +1 g = bf, the rest 0 g = 80.
    motion(0, 0, 1);
    QVERIFY(!waitForFrame(*console, u"8080bf0000000000"_qs).isEmpty());
    // Beyond the firmware's +-2 g range: clamped.
    motion(-2.5, 2.5, 0);
    QVERIFY(!waitForFrame(*console, u"00ff800000000000"_qs).isEmpty());
    motion(0, 0, 1);
    QVERIFY(!waitForFrame(*console, u"8080bf0000000000"_qs).isEmpty());
    // The relay knows the phone by its id, labelled by the page.
    const QList<DeviceInfo> devices = relay->devices();
    QVERIFY(devices.size() == 1 && devices.constFirst().id == id);
    QCOMPARE(devices.constFirst().label, u"phone-"_qs + id);
}

void TestPhonePage::tapIsOneFrame()
{
    console->received.clear();
    const QJsonArray ring = page->evaluate(u"(() => { const r = document.getElementById('ring')"
                                           ".getBoundingClientRect(); return [r.left + r.width / 2, "
                                           "r.top + r.height / 2]; })()"_qs)
                                .toArray();
    QVERIFY2(page->tap(QPointF(ring[0].toDouble(), ring[1].toDouble())), qPrintable(page->errorString()));
    QVERIFY(!waitForFrame(*console, u"8080bf00000000ff"_qs).isEmpty());
    const qsizetype seen = console->frameLines().size();
    QTRY_VERIFY(console->frameLines().size() >= seen + 5); // a quarter second more of frames
    QCOMPARE(console->frameLines().filter(QRegularExpression(u"ff$"_qs)).size(), 1);
}

void TestPhonePage::shakeIsOneTap()
{
    console->received.clear();
    motion(0, 0, 1);
    QTRY_VERIFY(console->frameLines().size() >= 2);
    // |a| = 3.67 g: a shake (clamped to the scale's +-2 g); the swing back within 300 ms is the
    // same shake, no second tap.
    motion({{2.5, 2.5, 1.0}, {2.5, -2.5, 1.0}, {0, 0, 1}});
    QVERIFY(!waitForFrame(*console, u"[0-9a-f]{14}ff"_qs).isEmpty());
    const qsizetype seen = console->frameLines().size();
    QTRY_VERIFY(console->frameLines().size() >= seen + 5);
    QCOMPARE(console->frameLines().filter(QRegularExpression(u"ff$"_qs)).size(), 1);
    // Motion under 3 g is no tap.
    console->received.clear();
    motion(1.5, 1.5, 1.0); // 2.35 g
    QTRY_VERIFY(console->frameLines().size() >= 5);
    QCOMPARE(console->frameLines().filter(QRegularExpression(u"ff$"_qs)).size(), 0);
    motion(0, 0, 1);
}

void TestPhonePage::roomMapSendsBeacons()
{
    // A finger on the map's point a quarter across and a third down: (200 cm, 200 cm) in the room.
    const QJsonArray box
        = page->evaluate(u"(() => { const r = document.getElementById('room')"
                         ".getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()"_qs)
              .toArray();
    const QPointF point(box[0].toDouble() + box[2].toDouble() / 4, box[1].toDouble() + box[3].toDouble() / 3);
    QVERIFY2(page->tap(point), qPrintable(page->errorString()));
    // Where the page put the dot (clientX/Y may be rounded), in room centimetres.
    const QJsonArray at = page->evaluate(u"[parseFloat(document.getElementById('me').style.left), "
                                         "parseFloat(document.getElementById('me').style.top)]"_qs)
                              .toArray();
    const QPointF room(at[0].toDouble() * 8.0, at[1].toDouble() * 6.0);
    QVERIFY2(std::abs(room.x() - 200) < 10 && std::abs(room.y() - 200) < 10,
             qPrintable(u"%1, %2"_qs.arg(room.x()).arg(room.y())));
    SensorFrame expected;
    expected.beacons = RoomModel::beaconBytesAt(room);
    const QString beacons = QString::fromLatin1(expected.toHex().mid(10, 8));
    console->received.clear();
    QVERIFY2(!waitForFrame(*console, u"8080bf"_qs + beacons + u"00"_qs).isEmpty(),
             qPrintable(beacons + u" not in "_qs + console->frameLines().join(u' ')));
    // "clear": not heard again.
    QVERIFY(page->waitFor(u"!document.getElementById('unplace').hidden"_qs));
    page->evaluate(u"document.getElementById('unplace').click()"_qs);
    console->received.clear();
    QVERIFY(!waitForFrame(*console, u"8080bf0000000000"_qs).isEmpty());
}

void TestPhonePage::vibrateCallsNavigatorVibrate()
{
    QVERIFY(command(u"vibrate:200"_qs));
    QVERIFY(page->waitFor(u"window.__vibrations.length === 1 && window.__vibrations[0] === 200"_qs));
    // Malformed: the firmware ignores it, so does the page.
    QVERIFY(command(u"vibrate:soon"_qs));
    QVERIFY(command(u"vibrate:-5"_qs));
    QVERIFY(command(u"status:"_qs)); // a round trip after the two bad ones
    QVERIFY(page->waitFor(u"document.getElementById('last-command').textContent === 'status:'"_qs));
    QCOMPARE(page->evaluate(u"window.__vibrations.length"_qs).toInt(), 1);
}

void TestPhonePage::servedOverTls()
{
    // Phones grant motion sensors to secure pages only: /phone over the relay's TLS port.
    QTemporaryDir dir;
    QVERIFY2(makeRoomCertificates(dir.path()),
             "openssl could not make the room certificates (is openssl installed?)");
    RelayOptions options;
    QString error;
    QCOMPARE(options.parse({u"relay"_qs, u"--tls-cert"_qs, dir.filePath(u"cert.pem"_qs), u"--tls-key"_qs,
                            dir.filePath(u"key.pem"_qs), u"--tls-port=0"_qs},
                           {}, &error),
             RelayOptions::Outcome::Run);
    auto tlsRelay = startRelay(options.config);

    // A subscriber that trusts the room CA and nothing else: the chain a phone checks.
    TestClient secureConsole;
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromPath(dir.filePath(u"ca.pem"_qs)));
    secureConsole.socket.setSslConfiguration(trust);
    QVERIFY(secureConsole.open(QUrl(u"wss://127.0.0.1:%1/"_qs.arg(tlsRelay->tlsServerPort()))));
    QCOMPARE(secureConsole.request(u"s"_qs), u"stream:on"_qs);

    // Chromium cannot be taught the room CA from here (no certutil), so it is told to accept it.
    browser.call(u"Security.setIgnoreCertificateErrors"_qs, {{u"ignore"_qs, true}});
    QVERIFY2(browser.errorString().isEmpty(), qPrintable(browser.errorString()));
    auto secure = browser.newPage(PageOptions::pixel7());
    QVERIFY(secure);
    QVERIFY2(secure->navigate(QUrl(u"https://127.0.0.1:%1/phone"_qs.arg(tlsRelay->tlsServerPort()))),
             qPrintable(secure->errorString()));
    QCOMPARE(secure->evaluate(u"window.isSecureContext"_qs).toBool(), true);
    QVERIFY(secure->waitFor(u"document.getElementById('state-dot').classList.contains('connected')"_qs));
    QVERIFY(secure->evaluate(u"document.getElementById('state').textContent"_qs)
                .toString()
                .endsWith(u"(secure)"));
    const QString secureId
        = secure->evaluate(u"GroupLoop.phone.id"_qs).toString(); // another origin, another id
    QVERIFY(QTest::qWaitFor(
        [&] { return secureConsole.frameLines().filter(QRegularExpression(u"^"_qs + secureId)).size() >= 3; },
        10000));
    QVERIFY2(secure->errors().isEmpty(), qPrintable(secure->errors().join(u'\n')));
    secure.reset();
    browser.call(u"Security.setIgnoreCertificateErrors"_qs, {{u"ignore"_qs, false}});
}

void TestPhonePage::reconnectsAfterRelayRestart()
{
    console.reset();
    controller.reset();
    relay.reset(); // every connection closes; the page backs off and retries
    QVERIFY(waitForState(u"offline"_qs));
    RelayConfig config;
    config.host = QHostAddress::LocalHost;
    config.port = port;
    relay = std::make_unique<RelayServer>(config);
    QString error;
    QVERIFY2(QTest::qWaitFor([&] { return relay->listen(&error); }, 5000), qPrintable(error));
    console = std::make_unique<TestClient>();
    QVERIFY(console->open(*relay));
    QCOMPARE(console->request(u"s"_qs), u"stream:on"_qs);
    controller = std::make_unique<TestClient>();
    QVERIFY(controller->open(*relay));
    QVERIFY(!waitForFrame(*console, u"[0-9a-f]{16}"_qs, 20000).isEmpty());
    QVERIFY(waitForState(u"connected"_qs));
}

void TestPhonePage::idSurvivesReload()
{
    QVERIFY2(page->reload(), qPrintable(page->errorString()));
    QCOMPARE(page->evaluate(u"GroupLoop.phone.id"_qs).toString(), id);
    console->received.clear();
    QVERIFY(!waitForFrame(*console, u"8080bf0000000000"_qs).isEmpty());
}

void TestPhonePage::routeServesOnlyThePage_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("answer");
    QTest::addColumn<QByteArray>("bodyStart");
    const QString html = u"200 text/html; charset=utf-8"_qs, js = u"200 text/javascript; charset=utf-8"_qs;
    const QString missing = u"404 text/plain; charset=utf-8"_qs;
    QTest::newRow("page") << QByteArray("GET /phone") << html << QByteArray("<!doctype html>");
    QTest::newRow("page, slash") << QByteArray("GET /phone/") << html << QByteArray("<!doctype html>");
    QTest::newRow("page, query") << QByteArray("GET /phone?token=x") << html << QByteArray("<!doctype html>");
    QTest::newRow("HEAD") << QByteArray("HEAD /phone") << html << QByteArray();
    QTest::newRow("script") << QByteArray("GET /phone/ledring.js") << js
                            << QByteArray("// The device's ring");
    QTest::newRow("styles") << QByteArray("GET /phone/phone.css") << u"200 text/css; charset=utf-8"_qs
                            << QByteArray("/* Mobile first");
    QTest::newRow("unknown") << QByteArray("GET /phone/nope.js") << missing << QByteArray();
    QTest::newRow("dot dot") << QByteArray("GET /phone/../commands.json") << missing << QByteArray();
    QTest::newRow("encoded dot dot") << QByteArray("GET /phone/%2e%2e/commands.json") << missing
                                     << QByteArray();
    QTest::newRow("dotfile") << QByteArray("GET /phone/.index.html") << missing << QByteArray();
    QTest::newRow("subfolder") << QByteArray("GET /phone/x/index.html") << missing << QByteArray();
    QTest::newRow("prefix only") << QByteArray("GET /phonebook") << missing << QByteArray();
}

void TestPhonePage::routeServesOnlyThePage()
{
    // The side door's /phone route (relay/server/http/relayroutes.cpp) serves the resource and nothing else.
    QFETCH(QByteArray, request);
    QFETCH(QString, answer);
    QFETCH(QByteArray, bodyStart);
    const auto [status, body] = httpRequest(port, request);
    QCOMPARE(status, answer);
    if (!bodyStart.isEmpty())
        QVERIFY2(body.startsWith(bodyStart), body.left(80).constData());
    if (request.startsWith("HEAD"))
        QVERIFY(body.isEmpty());
}

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestPhonePage test;
    return runBrowserTest(&test, argc, argv);
}

#include "tst_phonepage.moc"
