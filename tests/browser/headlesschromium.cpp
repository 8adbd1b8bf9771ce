#include "headlesschromium.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTest>

#include <cstdio>

namespace GroupLoop::Testing {

namespace {

// The network is closed in CI: without these Chromium waits on connections it cannot make.
const QStringList QuietFlags = {
    u"--headless"_qs,
    u"--no-sandbox"_qs, // CI runs as root
    u"--disable-gpu"_qs,
    u"--disable-quic"_qs,
    u"--no-first-run"_qs,
    u"--no-default-browser-check"_qs,
    u"--disable-background-networking"_qs,
    u"--disable-component-update"_qs,
    u"--disable-sync"_qs,
    u"--disable-extensions"_qs,
    u"--disable-default-apps"_qs,
    u"--disable-dev-shm-usage"_qs, // containers have a small /dev/shm
    u"--password-store=basic"_qs,
    u"--use-mock-keychain"_qs,
    u"--mute-audio"_qs,
    u"--hide-scrollbars"_qs,
    u"--force-color-profile=srgb"_qs, // screenshot pixels are the CSS colours, unmanaged
    u"--remote-debugging-port=0"_qs, // Chromium picks one and writes it to DevToolsActivePort
};

constexpr qsizetype MaxKeptOutput = 64 * 1024;

} // namespace

PageOptions PageOptions::pixel7()
{
    PageOptions options;
    options.viewport = {412, 915};
    options.deviceScaleFactor = 2.625;
    options.mobile = true;
    options.touch = true;
    options.userAgent = u"Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/120.0.0.0 Mobile Safari/537.36"_qs;
    return options;
}

HeadlessChromium::HeadlessChromium(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyRead, this, [this] {
        m_output += m_process.readAll();
        if (m_output.size() > MaxKeptOutput)
            m_output = m_output.right(MaxKeptOutput);
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &HeadlessChromium::onMessage);
}

HeadlessChromium::~HeadlessChromium()
{
    stop();
}

void HeadlessChromium::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        call(u"Browser.close"_qs, {}, {}, 5000);
    m_socket.close();
    if (QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 5000))
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QString HeadlessChromium::executable()
{
    const QString configured = qEnvironmentVariable("GROUPLOOP_CHROMIUM");
    if (!configured.isEmpty())
        return QFile::exists(configured) ? configured : QString();
    for (const QString &name : {u"chromium"_qs, u"chromium-browser"_qs, u"google-chrome"_qs}) {
        const QString path = QStandardPaths::findExecutable(name);
        if (!path.isEmpty())
            return path;
    }
    return {};
}

bool HeadlessChromium::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool HeadlessChromium::start(int timeoutMs)
{
    const QString program = executable();
    if (program.isEmpty())
        return fail(u"no Chromium found (install Debian's chromium or set GROUPLOOP_CHROMIUM)"_qs);
    if (!m_profile.isValid())
        return fail(u"cannot create a profile directory: "_qs + m_profile.errorString());
    QStringList arguments = QuietFlags;
    arguments << u"--user-data-dir="_qs + m_profile.path() << u"about:blank"_qs;
    m_process.setStandardInputFile(QProcess::nullDevice()); // CI has no stdin
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(10000))
        return fail(u"cannot start "_qs + program + u": "_qs + m_process.errorString());

    // "<port>\n/devtools/browser/<id>\n" once the endpoint listens.
    const QString portFile = m_profile.filePath(u"DevToolsActivePort"_qs);
    QStringList endpoint;
    (void)QTest::qWaitFor(
        [&] {
            QFile file(portFile);
            if (file.open(QIODevice::ReadOnly))
                endpoint = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
            return endpoint.size() >= 2 || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (endpoint.size() < 2)
        return fail(u"Chromium did not open its DevTools port within %1 ms"_qs.arg(timeoutMs));
    m_socket.open(QUrl(u"ws://127.0.0.1:"_qs + endpoint[0].trimmed() + endpoint[1].trimmed()));
    if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs))
        return fail(u"cannot connect to Chromium's DevTools endpoint: "_qs + m_socket.errorString());
    return true;
}

void HeadlessChromium::onMessage(const QString &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains(u"id"_qs))
        m_replies.insert(message.value(u"id"_qs).toInt(), message);
    else
        m_events[message.value(u"sessionId"_qs).toString()].append(message);
}

QJsonObject HeadlessChromium::call(const QString &method, const QJsonObject &params, const QString &sessionId,
                                   int timeoutMs)
{
    m_error.clear(); // success is an empty error, whatever the result holds
    if (m_socket.state() != QAbstractSocket::ConnectedState) {
        fail(u"%1: not connected to Chromium"_qs.arg(method));
        return {};
    }
    const int id = m_nextId++;
    QJsonObject message {{u"id"_qs, id}, {u"method"_qs, method}, {u"params"_qs, params}};
    if (!sessionId.isEmpty())
        message.insert(u"sessionId"_qs, sessionId);
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    if (!QTest::qWaitFor([&] { return m_replies.contains(id); }, timeoutMs)) {
        fail(u"%1: no reply within %2 ms"_qs.arg(method).arg(timeoutMs));
        return {};
    }
    const QJsonObject reply = m_replies.take(id);
    if (reply.contains(u"error"_qs)) {
        fail(method + u": "_qs + reply.value(u"error"_qs).toObject().value(u"message"_qs).toString());
        return {};
    }
    return reply.value(u"result"_qs).toObject();
}

QList<QJsonObject> HeadlessChromium::takeEvents(const QString &sessionId)
{
    return m_events.take(sessionId);
}

std::unique_ptr<ChromiumPage> HeadlessChromium::newPage(const PageOptions &options)
{
    const QString targetId
        = call(u"Target.createTarget"_qs, {{u"url"_qs, u"about:blank"_qs}}).value(u"targetId"_qs).toString();
    if (targetId.isEmpty())
        return nullptr;
    const QString sessionId
        = call(u"Target.attachToTarget"_qs, {{u"targetId"_qs, targetId}, {u"flatten"_qs, true}})
              .value(u"sessionId"_qs)
              .toString();
    if (sessionId.isEmpty())
        return nullptr;
    const QList<std::pair<QString, QJsonObject>> setup = {
        {u"Page.enable"_qs, {}},
        {u"Runtime.enable"_qs, {}},
        {u"Emulation.setDeviceMetricsOverride"_qs,
         {{u"width"_qs, options.viewport.width()},
          {u"height"_qs, options.viewport.height()},
          {u"deviceScaleFactor"_qs, options.deviceScaleFactor},
          {u"mobile"_qs, options.mobile}}},
        {u"Emulation.setTouchEmulationEnabled"_qs,
         {{u"enabled"_qs, options.touch}, {u"maxTouchPoints"_qs, 5}}},
    };
    for (const auto &[method, params] : setup) {
        call(method, params, sessionId);
        if (!m_error.isEmpty())
            return nullptr;
    }
    if (!options.userAgent.isEmpty()) {
        call(u"Emulation.setUserAgentOverride"_qs, {{u"userAgent"_qs, options.userAgent}}, sessionId);
        if (!m_error.isEmpty())
            return nullptr;
    }
    return std::make_unique<ChromiumPage>(this, targetId, sessionId, options);
}

int runBrowserTest(QObject *test, int argc, char **argv)
{
    if (HeadlessChromium::executable().isEmpty()) {
        std::fprintf(
            stderr,
            "SKIP: no Chromium found: install Debian's chromium (deploy/quickstart.sh test does) or set "
            "GROUPLOOP_CHROMIUM\n");
        return 77;
    }
    return QTest::qExec(test, argc, argv);
}

} // namespace GroupLoop::Testing
