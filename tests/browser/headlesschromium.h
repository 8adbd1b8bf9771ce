// Browser tests: a headless Chromium driven over the Chrome DevTools Protocol (CDP) with a
// QWebSocket, so the test keeps its relay in-process and every wait spins the Qt event loop.
// Nothing to install beyond Debian's `chromium` (docs/phone.md, "Writing another browser test").
//
//   HeadlessChromium browser;
//   QVERIFY2(browser.start(), qPrintable(browser.errorString()));
//   auto page = browser.newPage(PageOptions::pixel7());
//   page->addInitScript(u"navigator.vibrate = ..."_qs);
//   QVERIFY(page->navigate(url));
//   QCOMPARE(page->evaluate(u"document.title"_qs).toString(), ...);
//   QImage shot = page->screenshot();
#pragma once

#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointF>
#include <QProcess>
#include <QRectF>
#include <QSize>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace GroupLoop::Testing {

class ChromiumPage;

struct PageOptions
{
    QSize viewport {1280, 800};
    double deviceScaleFactor = 1.0;
    bool mobile = false;
    bool touch = false;
    QString userAgent; // empty: Chromium's own

    static PageOptions desktop() { return {}; }
    // A Pixel 7 in portrait: 412 x 915 CSS px at 2.625, touch, a mobile Chrome user agent.
    static PageOptions pixel7();
};

class HeadlessChromium : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessChromium(QObject *parent = nullptr);
    ~HeadlessChromium() override;

    // GROUPLOOP_CHROMIUM, else chromium, chromium-browser, google-chrome on PATH; empty if none.
    static QString executable();

    // Launches Chromium with a fresh profile and connects to its DevTools endpoint.
    bool start(int timeoutMs = 30000);
    // Closes the browser (also done by the destructor).
    void stop();
    QString errorString() const { return m_error; }
    QByteArray browserOutput() const { return m_output; } // Chromium's stderr, for failure reports

    // A new tab, emulating `options`; null (and errorString()) on failure.
    std::unique_ptr<ChromiumPage> newPage(const PageOptions &options = {});

    // One CDP command; waits for its reply (spinning the event loop). On failure returns an
    // empty object and sets errorString().
    QJsonObject call(const QString &method, const QJsonObject &params = {}, const QString &sessionId = {},
                     int timeoutMs = 15000);

    // Events that arrived for `sessionId` since the last take (method + params).
    QList<QJsonObject> takeEvents(const QString &sessionId);

private:
    void onMessage(const QString &text);
    bool fail(const QString &message);

    QProcess m_process;
    QTemporaryDir m_profile;
    QWebSocket m_socket;
    QByteArray m_output;
    QString m_error;
    int m_nextId = 1;
    QHash<int, QJsonObject> m_replies;
    QHash<QString, QList<QJsonObject>> m_events; // by session id
};

class ChromiumPage
{
public:
    ChromiumPage(HeadlessChromium *browser, QString targetId, QString sessionId, PageOptions options);
    ~ChromiumPage(); // closes the tab; a page must not outlive its browser
    Q_DISABLE_COPY_MOVE(ChromiumPage)

    // Runs `source` in every document before its own scripts (stubs, clocks, hooks).
    bool addInitScript(const QString &source);
    // Loads `url` and waits for its load event.
    bool navigate(const QUrl &url, int timeoutMs = 20000);
    bool reload(int timeoutMs = 20000);
    // The value of `expression` (awaited if it is a promise, returned by value). A thrown
    // exception or a protocol failure gives an undefined value and sets errorString().
    QJsonValue evaluate(const QString &expression, int timeoutMs = 15000);
    // Polls `expression` until it is truthy.
    bool waitFor(const QString &expression, int timeoutMs = 10000);
    // What the viewport shows, in device pixels (CSS pixels x deviceScaleFactor); with `clip`
    // (CSS pixels) only that part, which is quicker to encode.
    QImage screenshot(const QRectF &clip = {});
    // A finger tap at `point` in CSS pixels: touchstart then touchend.
    bool tap(QPointF point);

    // Uncaught exceptions and console errors the page reported so far.
    QStringList errors();
    QString errorString() const { return m_error; }
    const PageOptions &options() const { return m_options; }

private:
    bool waitForEvent(const QString &method, int timeoutMs);
    void collectEvents();

    HeadlessChromium *m_browser;
    QString m_targetId;
    QString m_sessionId;
    PageOptions m_options;
    QStringList m_errors;
    QList<QJsonObject> m_pending;
    QString m_error;
};

// main() for a browser test: a clear skip (exit 77, ctest SKIP_RETURN_CODE) when no Chromium.
int runBrowserTest(QObject *test, int argc, char **argv);

} // namespace GroupLoop::Testing
