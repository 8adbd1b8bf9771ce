#include "webrootroutes.h"

#include "fileresponder.h"
#include "httprouter.h"
#include "relaylogging.h"
#include "webroot.h"
#include "webrootpath.h"

#include <QUrl>

namespace GroupLoop {

namespace {

// Serves what `urlPath` names under the root, folders by their index.html.
HttpResponse serveFile(const WebRoot &webRoot, const HttpRequest &request, QByteArrayView urlPath)
{
    const WebRootPath::Resolved resolved
        = WebRootPath::resolve(urlPath, webRoot.root(), QStringLiteral("index.html"));
    switch (resolved.verdict) {
    case WebRootPath::Verdict::File:
        return FileResponder::answer(request, resolved.file);
    case WebRootPath::Verdict::Folder:
        // Relative asset URLs in the folder's index.html need the trailing slash.
        return HttpResponse::redirect(request.head.path() + '/');
    case WebRootPath::Verdict::BadRequest:
        qCInfo(lcRelayHttp).noquote()
            << QStringLiteral("[HTTP] refused path %1 from %2")
                   .arg(QString::fromLatin1(request.head.path().left(200).toPercentEncoding("/")),
                        request.peer);
        return HttpResponse::text(400, "bad path");
    case WebRootPath::Verdict::NotFound:
        break;
    }
    return HttpResponse::text(404, "no such file");
}

HttpRouter::Route prefixRoute(const QByteArray &prefix, HttpRouter::Handler handler)
{
    return {{"GET"}, prefix, true, std::move(handler), {}, 0};
}

} // namespace

void installWebRootRoutes(HttpRouter &router, std::shared_ptr<const WebRoot> webRoot)
{
    const WebRoot *root = webRoot.get();
    // The handlers share ownership: the router (and its copies) keep the web root alive.
    router.get("/", [webRoot](const HttpRequest &request) {
        const QString app = webRoot->settings().defaultApp;
        if (!app.isEmpty())
            return HttpResponse::redirect("/apps/" + QUrl::toPercentEncoding(app) + '/');
        HttpResponse page;
        page.contentType = "text/html; charset=utf-8";
        page.cacheControl = "no-cache";
        page.body = webRoot->landingPage();
        Q_UNUSED(request)
        return page;
    });
    router.add(prefixRoute("/apps/", [webRoot](const HttpRequest &request) {
        const QByteArray rest = request.head.path().mid(6);
        if (rest.isEmpty())
            return HttpResponse::redirect("/");
        return serveFile(*webRoot, request, QByteArray("apps/" + rest));
    }));
    router.add(prefixRoute("/static/", [webRoot](const HttpRequest &request) {
        return serveFile(*webRoot, request, request.head.path().mid(8));
    }));
    router.add(prefixRoute("/js/", [webRoot](const HttpRequest &request) {
        return serveFile(*webRoot, request, QByteArray("vendor/js/" + request.head.path().mid(4)));
    }));
    router.get("/config.js", [webRoot](const HttpRequest &request) {
        const std::optional<QByteArray> script = webRoot->configJs(request);
        if (!script)
            return HttpResponse::text(400, "a Host header is needed to tell the apps where to connect");
        HttpResponse response;
        response.contentType = "text/javascript; charset=utf-8";
        response.body = *script;
        return response;
    });
    router.get("/api/apps",
               [webRoot](const HttpRequest &) { return HttpResponse::json(webRoot->appsJson()); });
    qCInfo(lcRelayHttp).noquote()
        << QStringLiteral("[HTTP] serving %1 app(s) from %2").arg(root->apps().size()).arg(root->root());
}

} // namespace GroupLoop
