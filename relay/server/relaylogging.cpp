#include "relaylogging.h"

Q_LOGGING_CATEGORY(lcRelay, "grouploop.relay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayCommands, "grouploop.relay.commands", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayLimits, "grouploop.relay.limits", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayHttp, "grouploop.relay.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayAuth, "grouploop.relay.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayFrames, "grouploop.relay.frames", QtWarningMsg)

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <cstdio>

namespace GroupLoop {

namespace {

QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return QStringLiteral("debug");
    case QtInfoMsg:
        return QStringLiteral("info");
    case QtWarningMsg:
        return QStringLiteral("warning");
    case QtCriticalMsg:
        return QStringLiteral("error");
    case QtFatalMsg:
        return QStringLiteral("fatal");
    }
    return QStringLiteral("info");
}

void writeJsonLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QJsonObject line {
        {QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("level"), levelName(type)},
        {QStringLiteral("category"), QString::fromLatin1(context.category ? context.category : "default")},
    };
    // The old relay's tags ([CONNECT], [SEND], ...) become a field a shipper can index.
    QString text = message;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close > 1 && close < 32) {
            line.insert(QStringLiteral("tag"), text.mid(1, close - 1));
            text = text.mid(close + 1).trimmed();
        }
    }
    line.insert(QStringLiteral("message"), text);
    const QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    static QMutex mutex; // the console hosts its relay in a worker thread
    const QMutexLocker lock(&mutex);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

bool installLogFormat(const QString &format)
{
    if (format == u"json") {
        qInstallMessageHandler(writeJsonLine);
        return true;
    }
    if (format == u"text") {
        qInstallMessageHandler(nullptr);
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning: %{endif}"
                                          "%{if-critical}error: %{endif}%{message}"));
        return true;
    }
    return false;
}

} // namespace GroupLoop
