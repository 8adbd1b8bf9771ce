#include "phonepagetest.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace GroupLoop::Testing {

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

} // namespace

void PhonePageTest::openPhone()
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
    QVERIFY2(waitForState(u"connected"_qs), qPrintable(page->errorString()));
    id = page->evaluate(u"localStorage.getItem('grouploop.phone.id')"_qs).toString();
    QVERIFY2(QRegularExpression(u"^[0-9a-f]{4}$"_qs).match(id).hasMatch(), qPrintable(id));
    QCOMPARE(page->evaluate(u"GroupLoop.phone.id"_qs).toString(), id);
    qInfo("Chromium up and /phone connected after %lld ms", clock.elapsed());
}

void PhonePageTest::closePhone()
{
    const QStringList errors = page ? page->errors() : QStringList();
    page.reset();
    browser.stop();
    qInfo("whole test %lld ms", clock.elapsed());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
}

void PhonePageTest::motion(const QList<std::array<double, 3>> &readings)
{
    // One script, so the readings arrive within the same millisecond however busy the machine is.
    QString script;
    for (const auto &[x, y, z] : readings) {
        script
            += u"window.dispatchEvent(new DeviceMotionEvent('devicemotion', {accelerationIncludingGravity: "
               "{x: %1, y: %2, z: %3}, interval: 16}));"_qs.arg(x * G)
                   .arg(y * G)
                   .arg(z * G);
    }
    page->evaluate(script + u"true"_qs);
}

QString PhonePageTest::waitForFrame(TestClient &client, const QString &pattern, int timeoutMs)
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

bool PhonePageTest::command(const QString &text)
{
    const QString reply = controller->request(u"cmd:"_qs + id + u':' + text);
    if (reply != u"cmd:result:success")
        qWarning("%s: %s", qPrintable(text), qPrintable(reply));
    return reply == u"cmd:result:success";
}

bool PhonePageTest::showAt(qint64 ms)
{
    page->evaluate(u"window.__clock.freeze(%1)"_qs.arg(ms));
    return page->waitFor(u"GroupLoop.phone.drawnAt === %1"_qs.arg(ms));
}

QList<QColor> PhonePageTest::ledPixels()
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

bool PhonePageTest::waitForState(const QString &kind)
{
    return page->waitFor(u"document.getElementById('state-dot').classList.contains('%1')"_qs.arg(kind));
}

} // namespace GroupLoop::Testing
