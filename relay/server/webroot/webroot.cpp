#include "webroot.h"

#include "httpresponse.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace GroupLoop {

namespace {

constexpr qsizetype MaxSummaryChars = 300;
constexpr qint64 MaxReadmeBytes = 64 * 1024;

// A Host header as clients send it: a name or address, an optional port; nothing that could
// break out of the JSON or the script around it.
bool isPlausibleHost(const QByteArray &host)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?$"));
    return !host.isEmpty() && host.size() <= 255 && pattern.match(QString::fromLatin1(host)).hasMatch();
}

QString htmlEscaped(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

bool WebRoot::open(const WebRootSettings &settings, QString *error)
{
    const QFileInfo info(settings.dir);
    if (!info.isDir()) {
        *error = QStringLiteral("--web-root: '%1' is not a folder").arg(settings.dir);
        return false;
    }
    m_settings = settings;
    m_root = info.canonicalFilePath();
    if (!settings.defaultApp.isEmpty()) {
        const QString index
            = m_root + QStringLiteral("/apps/") + settings.defaultApp + QStringLiteral("/index.html");
        if (settings.defaultApp.contains(u'/') || settings.defaultApp.startsWith(u'.')
            || !QFileInfo(index).isFile()) {
            *error = QStringLiteral("--default-app: '%1' is not an app of %2 (no apps/%1/index.html)")
                         .arg(settings.defaultApp, m_root);
            return false;
        }
    }
    if (!settings.publicWsUrl.isEmpty() && !settings.publicWsUrl.startsWith(u"ws://")
        && !settings.publicWsUrl.startsWith(u"wss://")) {
        *error
            = QStringLiteral("--public-ws-url: '%1' is not a ws:// or wss:// URL").arg(settings.publicWsUrl);
        return false;
    }
    return true;
}

QString WebRoot::commandsFile() const
{
    const QString path = m_root + QStringLiteral("/commands.json");
    return QFileInfo(path).isFile() ? path : QString();
}

QList<WebRoot::App> WebRoot::apps() const
{
    QList<App> out;
    const QDir appsDir(m_root + QStringLiteral("/apps"));
    const QStringList names = appsDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : names) {
        if (!QFileInfo(appsDir.filePath(name + QStringLiteral("/index.html"))).isFile())
            continue;
        App app {name, {}};
        QFile readme(appsDir.filePath(name + QStringLiteral("/README.md")));
        if (readme.open(QIODevice::ReadOnly))
            app.summary = firstParagraph(QString::fromUtf8(readme.read(MaxReadmeBytes)));
        out.append(app);
    }
    return out;
}

QString WebRoot::firstParagraph(const QString &markdown)
{
    QStringList lines;
    for (const QString &raw : markdown.split(u'\n')) {
        const QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u"![")) {
            if (!lines.isEmpty())
                break; // the paragraph ended
            continue; // title, badges and blank lines before it
        }
        lines.append(line);
    }
    QString text = lines.join(u' ');
    static const QRegularExpression link(QStringLiteral("\\[([^\\]]*)\\]\\([^)]*\\)"));
    text.replace(link, QStringLiteral("\\1"));
    text.remove(u'*').remove(u'`');
    if (text.size() > MaxSummaryChars)
        text = text.left(MaxSummaryChars - 1).trimmed() + u'…';
    return text;
}

QByteArray WebRoot::appsJson() const
{
    QJsonArray list;
    for (const App &app : apps()) {
        list.append(QJsonObject {{QStringLiteral("name"), app.name},
                                 {QStringLiteral("url"), QStringLiteral("/apps/%1/").arg(app.name)},
                                 {QStringLiteral("description"), app.summary}});
    }
    return QJsonDocument(QJsonObject {{QStringLiteral("apps"), list}}).toJson(QJsonDocument::Compact);
}

QByteArray WebRoot::landingPage() const
{
    QString items;
    for (const App &app : apps()) {
        const QString url = QString::fromLatin1(QUrl::toPercentEncoding(app.name));
        items += QStringLiteral("<li><a href=\"/apps/%1/\">%2</a>%3</li>\n")
                     .arg(url, htmlEscaped(app.name),
                          app.summary.isEmpty() ? QString()
                                                : QStringLiteral("<p>%1</p>").arg(htmlEscaped(app.summary)));
    }
    if (items.isEmpty())
        items = QStringLiteral("<li>No apps yet: put them in %1/apps/&lt;name&gt;/index.html</li>\n")
                    .arg(htmlEscaped(m_root));
    return QStringLiteral(
               "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>GroupLoop</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;"
               "padding:0 1em}li{margin:.8em 0}li p{margin:.2em 0;color:#555}</style></head><body>\n"
               "<h1>GroupLoop</h1>\n<p>Join with a phone: <a href=\"/phone\">/phone</a></p>\n"
               "<h2>Apps</h2>\n<ul>\n%1</ul>\n</body></html>\n")
        .arg(items)
        .toUtf8();
}

std::optional<QByteArray> WebRoot::configJs(const HttpRequest &request) const
{
    QString wsUrl = m_settings.publicWsUrl;
    if (wsUrl.isEmpty()) {
        const QByteArray host = request.head.header("host").value_or(QByteArray());
        if (!isPlausibleHost(host))
            return std::nullopt;
        wsUrl = (request.secure ? QStringLiteral("wss://") : QStringLiteral("ws://"))
            + QString::fromLatin1(host);
    }
    const QJsonObject config {{QStringLiteral("wsDefaultUrl"), wsUrl},
                              {QStringLiteral("cdnBaseUrl"), QStringLiteral("/static/vendor")},
                              {QStringLiteral("appsBaseUrl"), QStringLiteral("/apps")}};
    // The JSON escapes quotes and control characters; '<' is escaped too so that "</script>" in
    // a configured URL cannot end an inline script that embeds this.
    QByteArray json = QJsonDocument(config).toJson(QJsonDocument::Compact);
    json.replace("<", "\\u003c");
    return "window.APP_CONFIG = " + json + ";\n";
}

} // namespace GroupLoop
