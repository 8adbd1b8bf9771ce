// ChromiumPage: one tab of HeadlessChromium, driven over its flattened DevTools session.
#include "headlesschromium.h"

#include <QJsonArray>
#include <QTest>

namespace GroupLoop::Testing {

ChromiumPage::ChromiumPage(HeadlessChromium *browser, QString targetId, QString sessionId,
                           PageOptions options)
    : m_browser(browser)
    , m_targetId(std::move(targetId))
    , m_sessionId(std::move(sessionId))
    , m_options(std::move(options))
{
}

ChromiumPage::~ChromiumPage()
{
    m_browser->call(u"Target.closeTarget"_qs, {{u"targetId"_qs, m_targetId}}, {}, 5000);
}

void ChromiumPage::collectEvents()
{
    for (const QJsonObject &event : m_browser->takeEvents(m_sessionId)) {
        const QString method = event.value(u"method"_qs).toString();
        const QJsonObject params = event.value(u"params"_qs).toObject();
        if (method == u"Runtime.exceptionThrown") {
            const QJsonObject details = params.value(u"exceptionDetails"_qs).toObject();
            m_errors << u"exception: "_qs
                    + details.value(u"exception"_qs)
                          .toObject()
                          .value(u"description"_qs)
                          .toString(details.value(u"text"_qs).toString());
        } else if (method == u"Runtime.consoleAPICalled" && params.value(u"type"_qs).toString() == u"error") {
            QStringList parts;
            for (const QJsonValue &arg : params.value(u"args"_qs).toArray())
                parts << arg.toObject().value(u"value"_qs).toVariant().toString();
            m_errors << u"console.error: "_qs + parts.join(u' ');
        } else {
            m_pending.append(event);
        }
    }
}

bool ChromiumPage::waitForEvent(const QString &method, int timeoutMs)
{
    const bool seen = QTest::qWaitFor(
        [&] {
            collectEvents();
            for (qsizetype i = 0; i < m_pending.size(); ++i) {
                if (m_pending[i].value(u"method"_qs) == method) {
                    m_pending.remove(0, i + 1);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    if (!seen)
        m_error = u"no %1 within %2 ms"_qs.arg(method).arg(timeoutMs);
    return seen;
}

bool ChromiumPage::addInitScript(const QString &source)
{
    const QJsonObject result
        = m_browser->call(u"Page.addScriptToEvaluateOnNewDocument"_qs, {{u"source"_qs, source}}, m_sessionId);
    m_error = m_browser->errorString();
    return result.contains(u"identifier"_qs);
}

bool ChromiumPage::navigate(const QUrl &url, int timeoutMs)
{
    collectEvents();
    m_pending.clear();
    const QJsonObject result
        = m_browser->call(u"Page.navigate"_qs, {{u"url"_qs, url.toString()}}, m_sessionId, timeoutMs);
    if (!result.contains(u"frameId"_qs)) {
        m_error = m_browser->errorString();
        return false;
    }
    if (result.contains(u"errorText"_qs)) {
        m_error = url.toString() + u": "_qs + result.value(u"errorText"_qs).toString();
        return false;
    }
    return waitForEvent(u"Page.loadEventFired"_qs, timeoutMs);
}

bool ChromiumPage::reload(int timeoutMs)
{
    collectEvents();
    m_pending.clear();
    m_browser->call(u"Page.reload"_qs, {}, m_sessionId, timeoutMs);
    return waitForEvent(u"Page.loadEventFired"_qs, timeoutMs);
}

QJsonValue ChromiumPage::evaluate(const QString &expression, int timeoutMs)
{
    const QJsonObject result = m_browser->call(
        u"Runtime.evaluate"_qs,
        {{u"expression"_qs, expression}, {u"returnByValue"_qs, true}, {u"awaitPromise"_qs, true}},
        m_sessionId, timeoutMs);
    collectEvents();
    m_error = m_browser->errorString();
    if (!m_error.isEmpty())
        return QJsonValue::Undefined;
    if (result.contains(u"exceptionDetails"_qs)) {
        const QJsonObject details = result.value(u"exceptionDetails"_qs).toObject();
        m_error = expression.left(80) + u": "_qs
            + details.value(u"exception"_qs)
                  .toObject()
                  .value(u"description"_qs)
                  .toString(details.value(u"text"_qs).toString());
        return QJsonValue::Undefined;
    }
    return result.value(u"result"_qs).toObject().value(u"value"_qs);
}

bool ChromiumPage::waitFor(const QString &expression, int timeoutMs)
{
    const QString truthy = u"!!("_qs + expression + u')';
    const bool ok = QTest::qWaitFor([&] { return evaluate(truthy).toBool(); }, timeoutMs);
    if (!ok && m_error.isEmpty())
        m_error = u"still false after %1 ms: %2"_qs.arg(timeoutMs).arg(expression);
    return ok;
}

QImage ChromiumPage::screenshot(const QRectF &clip)
{
    QJsonObject params {{u"format"_qs, u"png"_qs}, {u"optimizeForSpeed"_qs, true}};
    if (!clip.isEmpty()) {
        params.insert(u"clip"_qs,
                      QJsonObject {{u"x"_qs, clip.x()},
                                   {u"y"_qs, clip.y()},
                                   {u"width"_qs, clip.width()},
                                   {u"height"_qs, clip.height()},
                                   {u"scale"_qs, 1}});
    }
    const QJsonObject result = m_browser->call(u"Page.captureScreenshot"_qs, params, m_sessionId);
    if (result.isEmpty()) {
        m_error = m_browser->errorString();
        return {};
    }
    return QImage::fromData(QByteArray::fromBase64(result.value(u"data"_qs).toString().toLatin1()), "PNG");
}

bool ChromiumPage::tap(QPointF point)
{
    const QJsonArray touch {QJsonObject {{u"x"_qs, point.x()}, {u"y"_qs, point.y()}}};
    for (const QJsonObject &params :
         {QJsonObject {{u"type"_qs, u"touchStart"_qs}, {u"touchPoints"_qs, touch}},
          QJsonObject {{u"type"_qs, u"touchEnd"_qs}, {u"touchPoints"_qs, QJsonArray()}}}) {
        m_browser->call(u"Input.dispatchTouchEvent"_qs, params, m_sessionId);
        m_error = m_browser->errorString();
        if (!m_error.isEmpty())
            return false;
    }
    return true;
}

QStringList ChromiumPage::errors()
{
    collectEvents();
    return m_errors;
}

} // namespace GroupLoop::Testing
