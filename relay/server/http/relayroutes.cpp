// What the relay answers on its side door: /health and /commands.json for anyone (load
// balancers and browser apps read them), /devices and /metrics for controllers.
#include "fileresponder.h"
#include "relaymetrics.h"
#include "relayserver_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace GroupLoop {

namespace {
QString isoTime(const QDateTime &time)
{
    return time.toString(Qt::ISODateWithMs);
}

// The built-in /phone page (resources/phone, docs/phone.md); /phone and /phone/ are its index.
HttpResponse phoneAsset(const QByteArray &path)
{
    const QByteArray name = path.size() > 7 ? path.mid(7) : QByteArray("index.html");
    QFile file(QStringLiteral(":/grouploop/phone/") + QString::fromLatin1(name));
    if (name.contains('/') || name.startsWith('.') || !file.open(QIODevice::ReadOnly))
        return HttpResponse::text(404, "no such file in /phone");
    HttpResponse response;
    response.contentType = FileResponder::contentTypeFor(QString::fromLatin1(name));
    response.body = file.readAll();
    return response;
}
} // namespace

void RelayServerPrivate::installRoutes()
{
    HttpRouter &router = m_sideDoor.router();
    const HttpRouter::Guard controllersOnly
        = [this](const HttpRequest &request) { return m_access.admitController(request); };
    router.get("/health", [this](const HttpRequest &) { return HttpResponse::json(healthJson()); });
    router.get(
        "/devices", [this](const HttpRequest &) { return HttpResponse::json(devicesJson()); },
        controllersOnly);
    router.get(
        "/metrics",
        [this](const HttpRequest &) {
            HttpResponse response;
            response.contentType = "text/plain; version=0.0.4; charset=utf-8";
            response.body = metricsText();
            return response;
        },
        controllersOnly);
    const HttpRouter::Handler commands
        = [this](const HttpRequest &) { return HttpResponse::json(config.registry.toJson()); };
    router.get("/commands.json", commands);
    router.get("/static/commands.json", commands); // where the old CDN served it
    const HttpRouter::Handler phone
        = [](const HttpRequest &request) { return phoneAsset(request.head.path()); };
    router.get("/phone", phone);
    router.add({{"GET"}, "/phone/", true, phone, {}, 0});
    m_ota
        = new OtaManager(FirmwareStore(firmwareFolder(config), config.maxFirmwareBytes), this, &m_access, q);
    m_ota->installRoutes(router, controllersOnly);
    router.setNotFoundMessage("not found; this relay serves WebSocket on any path and GET /health, /metrics, "
                              "/devices, /commands.json, /phone, /firmware, /ota");
}

QByteArray RelayServerPrivate::healthJson() const
{
    const RelayStats s = q->stats();
    QJsonObject health {
        {QStringLiteral("status"),
         m_backplane && !m_backplane->isUp() ? QStringLiteral("degraded") : QStringLiteral("ok")},
        {QStringLiteral("service"), QStringLiteral("grouploop-relay")},
        {QStringLiteral("version"), QStringLiteral(GROUPLOOP_VERSION)},
        {QStringLiteral("uptime_s"), double(s.uptimeMs) / 1000.0},
        {QStringLiteral("connections"), s.connections},
        {QStringLiteral("devices"), s.devices},
        {QStringLiteral("subscribers"), s.subscribers},
        {QStringLiteral("frames_in"), double(s.framesIn)},
        {QStringLiteral("frames_out"), double(s.framesOut)},
        {QStringLiteral("frames_coalesced"), double(s.framesCoalesced)},
        {QStringLiteral("tls"), config.tlsEnabled},
        {QStringLiteral("tokens_required"), !config.access.controllerTokens.isEmpty()},
    };
    if (m_backplane)
        health.insert(QStringLiteral("cluster"), clusterHealth());
    return QJsonDocument(health).toJson(QJsonDocument::Compact);
}

QByteArray RelayServerPrivate::devicesJson() const
{
    QJsonArray devices;
    for (const DeviceInfo &device : q->devices()) {
        devices.append(QJsonObject {
            {QStringLiteral("id"), device.id},
            {QStringLiteral("label"), device.label},
            {QStringLiteral("remote_address"), device.remoteAddress},
            {QStringLiteral("first_seen"), isoTime(device.firstSeen)},
            {QStringLiteral("last_seen"), isoTime(device.lastSeen)},
            {QStringLiteral("frames"), double(device.frames)},
            {QStringLiteral("rate_hz"), device.rate},
        });
    }
    if (m_backplane)
        appendRemoteDevices(&devices);
    return QJsonDocument(
               QJsonObject {{QStringLiteral("count"), devices.size()}, {QStringLiteral("devices"), devices}})
        .toJson(QJsonDocument::Compact);
}

QByteArray RelayServerPrivate::metricsText() const
{
    RelayMetrics::Connections connections;
    for (const Client *client : m_clients) {
        if (client->subscription)
            ++connections.subscribers;
        else if (!client->ownedIds.isEmpty())
            ++connections.devices;
        else
            ++connections.others;
    }
    connections.pendingHandshakes = m_sideDoor.pendingCount();
    RelayMetrics metrics(q->stats(), connections);
    if (m_backplane)
        metrics.setCluster(m_backplane->stats(), int(m_backplane->remoteDevices().size()));
    return metrics.text() + m_ota->metricsText();
}

} // namespace GroupLoop
