// An app from a web root in a real browser (docs/hub.md): headless Chromium opens
// /apps/probe/ from an in-process relay with --web-root; the app reads /config.js, loads a
// library from /static/vendor/js/ (gzip'd on the way, as Chromium asks for it) and a script of
// its own, then opens a WebSocket to the address /config.js gave it and subscribes. The relay
// sees the subscriber; the page sees the relay's answer.
#include "headlesschromium.h"
#include "relaytestclient.h"

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QTemporaryDir>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

bool write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestWebRootApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void appLoadsAndConnectsBack();

private:
    QTemporaryDir dir;
    std::unique_ptr<RelayServer> relay;
    HeadlessChromium browser;
};

void TestWebRootApp::initTestCase()
{
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    QVERIFY(write(root + u"/apps/probe/index.html"_qs,
                  "<!doctype html><html><head><title>probe</title>\n"
                  "<script src=\"/config.js\"></script>\n"
                  "<script src=\"/static/vendor/js/lib.js\"></script>\n"
                  "<script src=\"app.js\"></script></head><body></body></html>\n"));
    QByteArray library = "window.libLoaded = true;\n";
    for (int i = 0; i < 2000; ++i) // large enough that gzip pays
        library += "window.lib" + QByteArray::number(i) + " = function () { return " + QByteArray::number(i)
            + "; };\n";
    QVERIFY(write(root + u"/vendor/js/lib.js"_qs, library));
    QVERIFY(write(root + u"/apps/probe/app.js"_qs,
                  "window.messages = [];\n"
                  "const ws = new WebSocket(window.APP_CONFIG.wsDefaultUrl);\n"
                  "ws.onopen = () => ws.send('s');\n"
                  "ws.onmessage = (event) => window.messages.push(String(event.data));\n"));
    RelayConfig config;
    config.webRoot.dir = root;
    relay = startRelay(config);
    QVERIFY(relay);
    QVERIFY2(browser.start(), qPrintable(browser.errorString()));
}

void TestWebRootApp::appLoadsAndConnectsBack()
{
    auto page = browser.newPage();
    QVERIFY2(page, qPrintable(browser.errorString()));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/apps/probe/").arg(relay->serverPort()));
    QVERIFY2(page->navigate(url), qPrintable(page->errorString()));
    QCOMPARE(page->evaluate(u"document.title"_qs).toString(), u"probe"_qs);
    QCOMPARE(page->evaluate(u"window.APP_CONFIG.wsDefaultUrl"_qs).toString(),
             QStringLiteral("ws://127.0.0.1:%1").arg(relay->serverPort()));
    QCOMPARE(page->evaluate(u"window.APP_CONFIG.cdnBaseUrl"_qs).toString(), u"/static/vendor"_qs);
    QVERIFY(page->evaluate(u"window.libLoaded === true && window.lib1999() === 1999"_qs).toBool());
    // The library came compressed: fewer bytes on the wire than in the file.
    QVERIFY(
        page->evaluate(
                u"(() => { const e = performance.getEntriesByType('resource')"
                ".find(r => r.name.endsWith('/static/vendor/js/lib.js'));"
                " return e && e.encodedBodySize > 0 && e.encodedBodySize < e.decodedBodySize / 2; })()"_qs)
            .toBool());
    QVERIFY2(page->waitFor(u"window.messages.some(m => m.startsWith('stream:on'))"_qs, 15000),
             qPrintable(page->evaluate(u"JSON.stringify(window.messages)"_qs).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(relay->stats().subscribers, 1, 10000);
    QVERIFY2(page->errors().isEmpty(), qPrintable(page->errors().join(u'\n')));
}

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestWebRootApp test;
    return runBrowserTest(&test, argc, argv);
}

#include "tst_webrootapp.moc"
