// The routes of a web root (--web-root, docs/hub.md), on the relay's one port:
//   /                  the apps, or a redirect to --default-app
//   /apps/<name>/...   the app's files          /static/<path>   DIR/<path> (the old hub's route)
//   /js/<file>         DIR/vendor/js/<file>     /config.js       window.APP_CONFIG
//   /api/apps          {"apps": [...]}
// GET and HEAD only, no token (apps load before they have one); files go through FileResponder.
#pragma once

#include <memory>

namespace GroupLoop {

class HttpRouter;
class WebRoot;

void installWebRootRoutes(HttpRouter &router, std::shared_ptr<const WebRoot> webRoot);

} // namespace GroupLoop
