// /phone in a real headless Chromium emulating a Pixel 7: the page streams frames with the bytes
// its synthetic motion, taps and room position call for, shows the commanded colours on screen
// (screenshot pixels) at the right phase of each pattern, vibrates, and reconnects after the
// relay restarts. The relay runs in-process; a QWebSocket subscriber plays the console.
#include "headlesschromium.h"
#include "ledring.h"
#include "relayoptions.h"
#include "relaytestclient.h"
#include "roommodel.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QTemporaryDir>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

// The test owns the page's clock (performance.now) and its vibration motor.
const QString InitScript = uR"(
    window.__vibrations = [];
    navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
    (() => {
        const realNow = performance.now.bind(performance);
        let frozen = null;
        performance.now = () => (frozen === null ? realNow() : frozen);
        window.__clock = { freeze: (ms) => { frozen = ms; }, release: () => { frozen = null; } };
    })();
)"_qs;

constexpr double G = 9.80665;

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

QString rgbText(QColor c)
{
    return u"%1,%2,%3"_qs.arg(c.red()).arg(c.green()).arg(c.blue());
}

} // namespace

class TestPhonePage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void framesCarryIdAndMotion();
    void tapIsOneFrame();
    void shakeIsOneTap();
    void roomMapSendsBeacons();
    void commandedColourOnScreen();
    void heartbeatPhaseOnScreen();
    void perLedAndBrightnessOnScreen();
    void vibrateCallsNavigatorVibrate();
    void ledMathsMatchInChromium();
    void servedOverTls();
    void reconnectsAfterRelayRestart();
    void idSurvivesReload();

private:
    void motion(double xG, double yG, double zG);
    // Waits for a frame from the phone matching `pattern` (a regex over the 16 digits after the id).
    QString waitForFrame(TestClient &client, const QString &pattern, int timeoutMs = 10000);
    // Sends cmd:<id>:<text> as a controller; true when the relay handed it to the phone.
    bool command(const QString &text);
    // Freezes the page's clock at `ms` and waits until the ring was drawn at that instant.
    bool showAt(qint64 ms);
    QList<QColor> ledPixels(); // the colour at each LED's centre, LED 0 first
    double pageNow() { return page->evaluate(u"Math.floor(performance.now())"_qs).toDouble(); }

    std::unique_ptr<RelayServer> relay;
    quint16 port = 0;
    HeadlessChromium browser;
    std::unique_ptr<ChromiumPage> page;
    std::unique_ptr<TestClient> console; // a subscriber, as the console is
    std::unique_ptr<TestClient> controller; // sends the commands (a subscriber's replies mix with frames)
    QString id;
    QElapsedTimer clock;
};

void TestPhonePage::initTestCase()
{
    clock.start();
    relay = startRelay();
    port = relay->serverPort();
    QVERIFY2(browser.start(),
             qPrintable(browser.errorString() + u'\n' + QString::fromUtf8(browser.browserOutput())));
    page = browser.newPage(PageOptions::pixel7());
    QVERIFY2(page, qPrintable(browser.errorString()));
    QVERIFY2(page->addInitScript(InitScript), qPrintable(page->errorString()));
    console = std::make_unique<TestClient>();
    QVERIFY(console->open(*relay));
    QCOMPARE(console->request(u"s"_qs), u"stream:on"_qs);
    controller = std::make_unique<TestClient>();
    QVERIFY(controller->open(*relay));

    QVERIFY2(page->navigate(QUrl(u"http://127.0.0.1:%1/phone"_qs.arg(port))),
             qPrintable(page->errorString()));
    QVERIFY2(page->waitFor(u"document.getElementById('state-dot').classList.contains('connected')"_qs),
             qPrintable(page->errorString()));
    id = page->evaluate(u"localStorage.getItem('grouploop.phone.id')"_qs).toString();
    QVERIFY2(QRegularExpression(u"^[0-9a-f]{4}$"_qs).match(id).hasMatch(), qPrintable(id));
    QCOMPARE(page->evaluate(u"GroupLoop.phone.id"_qs).toString(), id);
    qInfo("Chromium up and /phone connected after %lld ms", clock.elapsed());
}

void TestPhonePage::cleanupTestCase()
{
    const QStringList errors = page ? page->errors() : QStringList();
    page.reset();
    browser.stop();
    qInfo("whole test %lld ms", clock.elapsed());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
}

void TestPhonePage::motion(double xG, double yG, double zG)
{
    page->evaluate(
        u"window.dispatchEvent(new DeviceMotionEvent('devicemotion', {accelerationIncludingGravity: "
        "{x: %1, y: %2, z: %3}, interval: 16})), true"_qs.arg(xG * G)
            .arg(yG * G)
            .arg(zG * G));
}

QString TestPhonePage::waitForFrame(TestClient &client, const QString &pattern, int timeoutMs)
{
    const QRegularExpression wanted(u"^"_qs + id + pattern + u'$');
    QString found;
    (void)QTest::qWaitFor(
        [&] {
            for (const QString &line : client.frameLines()) {
                if (wanted.match(line).hasMatch())
                    found = line;
            }
            return !found.isEmpty();
        },
        timeoutMs);
    return found;
}

bool TestPhonePage::command(const QString &text)
{
    const QString reply = controller->request(u"cmd:"_qs + id + u':' + text);
    if (reply != u"cmd:result:success")
        qWarning("%s: %s", qPrintable(text), qPrintable(reply));
    return reply == u"cmd:result:success";
}

bool TestPhonePage::showAt(qint64 ms)
{
    page->evaluate(u"window.__clock.freeze(%1)"_qs.arg(ms));
    return page->waitFor(u"GroupLoop.phone.drawnAt === %1"_qs.arg(ms));
}

QList<QColor> TestPhonePage::ledPixels()
{
    // The ring's box and each LED's centre in CSS pixels, then a screenshot of just the ring.
    const QJsonArray geometry = page->evaluate(u"[document.getElementById('ring')].concat(Array.from("
                                               "document.querySelectorAll('.led'))).map((e) => { "
                                               "const r = e.getBoundingClientRect(); "
                                               "return [r.left, r.top, r.width, r.height]; })"_qs)
                                    .toArray();
    if (geometry.size() != 7)
        return {};
    auto rect = [&](int i) {
        const QJsonArray r = geometry[i].toArray();
        return QRectF(r[0].toDouble(), r[1].toDouble(), r[2].toDouble(), r[3].toDouble());
    };
    const QRectF ring = rect(0);
    const QImage shot = page->screenshot(ring);
    if (shot.isNull())
        return {};
    const double scale = shot.width() / ring.width();
    QList<QColor> colours;
    for (int led = 1; led <= 6; ++led) {
        const QPointF centre = (rect(led).center() - ring.topLeft()) * scale;
        colours << shot.pixelColor(centre.toPoint());
    }
    return colours;
}

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
    motion(2.5, 2.5, 1.0); // |a| = 3.67 g: a shake, clamped to the scale's +-2 g
    motion(2.5, -2.5, 1.0); // within the same shake: no second tap
    motion(0, 0, 1);
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

void TestPhonePage::commandedColourOnScreen()
{
    // Breathing (the pattern since the network came up) peaks 1000 ms into each 2000 ms period.
    const double start = page->evaluate(u"GroupLoop.phone.ring.startMs"_qs).toDouble();
    const qint64 peak = qint64(start) + 1000 + 2000 * (qint64(pageNow() - start) / 2000 + 1);
    QVERIFY(showAt(peak));
    QVERIFY(command(u"led:00ff00"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.colours.breathing.g === 255"_qs));
    QVERIFY(showAt(peak + 2000)); // the same phase, one period on, drawn after the command
    const QList<QColor> leds = ledPixels();
    QCOMPARE(leds.size(), 6);
    for (const QColor &c : leds)
        QCOMPARE(rgbText(c), u"0,255,0"_qs);
    QVERIFY(showAt(peak + 2500)); // a quarter period later: half way down the sine
    for (const QColor &c : ledPixels())
        QCOMPARE(rgbText(c), u"0,128,0"_qs);
}

void TestPhonePage::heartbeatPhaseOnScreen()
{
    const qint64 start = qint64(pageNow()) + 10;
    QVERIFY(showAt(start));
    QVERIFY(command(u"pattern:heartbeat"_qs));
    QVERIFY(page->waitFor(
        u"GroupLoop.phone.ring.pattern === 'heartbeat' && GroupLoop.phone.ring.startMs === %1"_qs.arg(
            start)));
    // 2 s dark, in 60 ms, out 150, pause 100, in 60, out 400; red (heartbeat's own colour).
    const QList<std::pair<int, QString>> phases = {
        {1000, u"0,0,0"_qs}, {2030, u"128,0,0"_qs}, {2060, u"255,0,0"_qs}, {2135, u"128,0,0"_qs},
        {2250, u"0,0,0"_qs}, {2370, u"255,0,0"_qs}, {2570, u"128,0,0"_qs}, {2770 + 2060, u"255,0,0"_qs},
    };
    for (const auto &[ms, expected] : phases) {
        QVERIFY(showAt(start + ms));
        for (const QColor &c : ledPixels())
            QVERIFY2(rgbText(c) == expected,
                     qPrintable(u"%1 ms: %2, expected %3"_qs.arg(ms).arg(rgbText(c), expected)));
    }
}

void TestPhonePage::perLedAndBrightnessOnScreen()
{
    qint64 now = qint64(pageNow());
    QVERIFY(command(u"led_set:2:0000ff"_qs));
    QVERIFY(command(u"brightness:128"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.brightness === 128"_qs));
    QVERIFY(showAt(++now));
    QList<QColor> leds = ledPixels();
    QCOMPARE(leds.size(), 6);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(rgbText(leds[i]), i == 2 ? u"0,0,128"_qs : u"0,0,0"_qs);
    // LED 2 sits at the lower right: LED 0 is at the top and the ring counts clockwise.
    const QJsonArray led2
        = page->evaluate(u"(() => { const l = document.querySelectorAll('.led')[2]"
                         ".getBoundingClientRect(), r = document.getElementById('ring')"
                         ".getBoundingClientRect(); return [l.left + l.width / 2 - (r.left + "
                         "r.width / 2), l.top + l.height / 2 - (r.top + r.height / 2)]; })()"_qs)
              .toArray();
    QVERIFY(led2[0].toDouble() > 0 && led2[1].toDouble() > 0);

    QVERIFY(command(u"led_all_off:"_qs));
    QVERIFY(command(u"pattern:solid"_qs)); // leaves per-LED mode: solid white at brightness 128
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.pattern === 'solid' && !GroupLoop.phone.ring.perLed"_qs));
    QVERIFY(showAt(++now));
    for (const QColor &c : ledPixels())
        QCOMPARE(rgbText(c), u"128,128,128"_qs);
    QVERIFY(command(u"brightness:255"_qs));
    QVERIFY(command(u"pattern:cycle"_qs));
    QVERIFY(page->waitFor(u"GroupLoop.phone.ring.pattern === 'cycle'"_qs));
    const qint64 cycleStart = qint64(page->evaluate(u"GroupLoop.phone.ring.startMs"_qs).toDouble());
    QVERIFY(showAt(cycleStart + 450)); // the fifth step: LED 4 lit, white
    leds = ledPixels();
    for (int i = 0; i < 6; ++i)
        QCOMPARE(rgbText(leds[i]), i == 4 ? u"255,255,255"_qs : u"0,0,0"_qs);
    page->evaluate(u"window.__clock.release()"_qs);
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

void TestPhonePage::ledMathsMatchInChromium()
{
    // tst_phonemodel proves ledring.js equals LedRing in QJSEngine; here the same file runs on
    // Chromium's V8, whose Math library is its own: allowed 1/255 where the last bit differs.
    struct Case
    {
        LedPattern pattern;
        int brightness;
        QString spring;
    };
    const QList<Case> cases = {
        {LedPattern::Breathing, 255, {}},
        {LedPattern::Breathing, 77, {}},
        {LedPattern::Heartbeat, 255, {}},
        {LedPattern::Heartbeat, 200, {}},
        {LedPattern::Cycle, 255, {}},
        {LedPattern::Solid, 129, {}},
        {LedPattern::Spring, 255, {}},
        {LedPattern::Spring, 255, u"0a0000"_qs},
        {LedPattern::Spring, 180, u"0aff00"_qs},
        {LedPattern::Spring, 255, u"282809"_qs},
        {LedPattern::Spring, 255, u"ffffff"_qs},
        {LedPattern::Off, 255, {}},
    };
    constexpr int Until = 6000, Step = 3;
    int compared = 0, inexact = 0, worst = 0;
    for (const Case &c : cases) {
        LedRing ring;
        ring.setPattern(c.pattern, 0);
        ring.setColour(Rgb {0xf0, 0x80, 0x33});
        ring.setBrightness(c.brightness);
        if (!c.spring.isEmpty())
            ring.setSpring(*SpringParams::fromHex(c.spring));
        const QString js = uR"((() => {
            const ring = new GroupLoop.LedRing();
            ring.setPattern('%1', 0);
            ring.setColour({ r: 0xf0, g: 0x80, b: 0x33 });
            ring.setBrightness(%2);
            if ('%3') ring.spring = GroupLoop.led.springFromHex('%3');
            const out = [];
            for (let t = 0; t <= %4; t += %5)
                out.push(...ring.coloursAt(t).flatMap((c) => [c.r, c.g, c.b]));
            return out;
        })())"_qs.arg(ledPatternName(c.pattern))
                               .arg(c.brightness)
                               .arg(c.spring)
                               .arg(Until)
                               .arg(Step);
        const QJsonArray values = page->evaluate(js).toArray();
        QCOMPARE(values.size(), (Until / Step + 1) * 18);
        qsizetype i = 0;
        for (int t = 0; t <= Until; t += Step) {
            for (const Rgb &led : ring.coloursAt(t)) {
                for (int channel : {led.r, led.g, led.b}) {
                    const int diff = std::abs(values[i++].toInt() - channel);
                    worst = std::max(worst, diff);
                    inexact += diff != 0;
                    ++compared;
                }
            }
        }
    }
    qInfo("LED channels compared in Chromium: %d, off by one: %d, worst %d", compared, inexact, worst);
    QVERIFY(worst <= 1);
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
    QVERIFY(page->waitFor(u"document.getElementById('state-dot').classList.contains('offline')"_qs));
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
    QVERIFY(page->waitFor(u"document.getElementById('state-dot').classList.contains('connected')"_qs));
}

void TestPhonePage::idSurvivesReload()
{
    QVERIFY2(page->reload(), qPrintable(page->errorString()));
    QCOMPARE(page->evaluate(u"GroupLoop.phone.id"_qs).toString(), id);
    console->received.clear();
    QVERIFY(!waitForFrame(*console, u"8080bf0000000000"_qs).isEmpty());
}

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestPhonePage test;
    return runBrowserTest(&test, argc, argv);
}

#include "tst_phonepage.moc"
