// WebRoot: the folder --web-root names, laid out as the old hub's static folder:
//   apps/<name>/index.html (+ assets, README.md)   the browser apps
//   vendor/js/*.js                                  the shared libraries (the old CDN)
//   commands.json                                   merged into the registry at start
//   firmware/                                       images for ota (served elsewhere)
// It lists the apps (for / and /api/apps) and writes /config.js; the routes that serve its
// files are in http/webrootroutes.cpp, the path confinement in webrootpath.h.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop {

struct HttpRequest;

struct WebRootSettings
{
    QString dir; // --web-root (env GROUPLOOP_WEB_ROOT); empty: no web root
    QString publicWsUrl; // --public-ws-url (env WS_DEFAULT_URL); empty: from the request's Host
    QString defaultApp; // --default-app (env DEFAULT_APP): / redirects to /apps/<name>/
};

class WebRoot
{
public:
    struct App
    {
        QString name;
        QString summary; // the first paragraph of its README.md, plain text; may be empty
    };

    // Checks the folder (and the default app, if any). False with one line in *error if unusable.
    bool open(const WebRootSettings &settings, QString *error);

    QString root() const { return m_root; } // canonical
    const WebRootSettings &settings() const { return m_settings; }
    QString commandsFile() const; // DIR/commands.json, or empty when there is none

    // The folders of apps/ with an index.html, by name; read at each call, so apps added while
    // the relay runs show up.
    QList<App> apps() const;
    QByteArray appsJson() const; // {"apps": [{"name", "url", "description"}, ...]}
    QByteArray landingPage() const; // HTML: the apps, each with its summary

    // window.APP_CONFIG for the apps. The WebSocket address is --public-ws-url, else the one the
    // request came to (its Host, ws:// or wss:// as it came); nullopt for a Host no client sends.
    std::optional<QByteArray> configJs(const HttpRequest &request) const;

    // "A first paragraph" of a README: text after the title up to the first blank line.
    static QString firstParagraph(const QString &markdown);

private:
    WebRootSettings m_settings;
    QString m_root;
};

} // namespace GroupLoop
