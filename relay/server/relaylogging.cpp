#include "relaylogging.h"

Q_LOGGING_CATEGORY(lcRelay, "grouploop.relay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayCommands, "grouploop.relay.commands", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayLimits, "grouploop.relay.limits", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayHttp, "grouploop.relay.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayAuth, "grouploop.relay.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelayFrames, "grouploop.relay.frames", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRelayCluster, "grouploop.relay.cluster", QtInfoMsg)

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <algorithm>
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

void writeLine(QtMsgType type, const QByteArray &line)
{
    static QMutex mutex; // the console hosts its relay in a worker thread
    const QMutexLocker lock(&mutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
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
    writeLine(type, QJsonDocument(line).toJson(QJsonDocument::Compact));
}

void writeTextLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    writeLine(type, qFormatLogMessage(type, context, escapeControlCharacters(message)).toLocal8Bit());
}

} // namespace

QString escapeControlCharacters(const QString &text)
{
    auto isControl
        = [](char16_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029; };
    if (std::none_of(text.cbegin(), text.cend(), [&](QChar c) { return isControl(c.unicode()); }))
        return text;
    QString out;
    out.reserve(text.size() + 16);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!isControl(u))
            out += c;
        else if (u == u'\n')
            out += u"\\n";
        else if (u == u'\r')
            out += u"\\r";
        else if (u == u'\t')
            out += u"\\t";
        else
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
    }
    return out;
}

bool installLogFormat(const QString &format)
{
    if (format == u"json") {
        qInstallMessageHandler(writeJsonLine);
        return true;
    }
    if (format == u"text") {
        qInstallMessageHandler(writeTextLine);
        qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-warning}warning: %{endif}"
                                          "%{if-critical}error: %{endif}%{message}"));
        return true;
    }
    return false;
}

} // namespace GroupLoop
