// What the /phone browser tests share: a relay in-process, Chromium showing /phone as a Pixel 7
// with the page's clock (performance.now) and vibration motor in the test's hands, a subscriber and
// a controller standing in for the console, and helpers to drive the page and read it back.
#pragma once

#include "headlesschromium.h"
#include "relaytestclient.h"

#include <QColor>
#include <QElapsedTimer>

#include <array>

namespace GroupLoop::Testing {

class PhonePageTest : public QObject
{
    Q_OBJECT
protected:
    void openPhone(); // from initTestCase: relay, Chromium, /phone connected, its id read
    void closePhone(); // from cleanupTestCase: fails on any JS error the page reported

    // devicemotion events with accelerationIncludingGravity in g (x right, y up, z out of the screen).
    void motion(const QList<std::array<double, 3>> &readings);
    void motion(double xG, double yG, double zG) { motion({{xG, yG, zG}}); }
    // Waits for a frame from the phone matching `pattern` (a regex over the 16 digits after the id).
    QString waitForFrame(TestClient &client, const QString &pattern, int timeoutMs = 10000);
    // Sends cmd:<id>:<text> as a controller; true when the relay handed it to the phone.
    bool command(const QString &text);
    // Freezes the page's clock at `ms` and waits until the ring was drawn at that instant.
    bool showAt(qint64 ms);
    QList<QColor> ledPixels(); // from a screenshot: the colour at each LED's centre, LED 0 first
    double pageNow() { return page->evaluate(u"Math.floor(performance.now())"_qs).toDouble(); }
    bool waitForState(const QString &kind); // the status dot: connected, connecting or offline

    std::unique_ptr<RelayServer> relay;
    quint16 port = 0;
    HeadlessChromium browser;
    std::unique_ptr<ChromiumPage> page;
    std::unique_ptr<TestClient> console; // a subscriber, as the console is
    std::unique_ptr<TestClient> controller; // sends the commands (a subscriber's replies mix with frames)
    QString id;
    QElapsedTimer clock;
};

} // namespace GroupLoop::Testing
