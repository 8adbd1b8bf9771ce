// The firmware folder over HTTP: GET /firmware/<name> streams the image (FileResponder) to anyone (devices
// fetch it without a token) and attributes it to a rollout's device by its ?ota= key; PUT
// /firmware/<name> stores one for controllers on a relay that allows ota.
#include "accesscontrol.h"
#include "fileresponder.h"
#include "otahttp.h"
#include "otamanager.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QUrlQuery>

namespace GroupLoop {

Q_DECLARE_LOGGING_CATEGORY(lcRelayOta)

using OtaHttp::jsonWithStatus;
using OtaHttp::nameIn;
using OtaHttp::refusal;

HttpResponse OtaManager::upload(const HttpRequest &request)
{
    if (std::optional<HttpResponse> refused = refuseOta(request))
        return *refused;
    if (!m_store.isEnabled())
        return refusal(409, QString(FirmwareStore::NoFolder));
    const QString name = nameIn(request, 10);
    if (const std::optional<QString> problem = FirmwareStore::nameProblem(name))
        return refusal(400, *problem);
    if (name == u"manifest.json" ? !QJsonDocument::fromJson(request.body).isObject() : request.body.isEmpty())
        return refusal(400,
                       name == u"manifest.json" ? QStringLiteral("manifest.json must be a JSON object")
                                                : QStringLiteral("empty firmware image"));
    QString error;
    if (!m_store.put(name, request.body, &error)) {
        qCWarning(lcRelayOta).noquote() << QStringLiteral("[OTA] upload of %1 failed: %2").arg(name, error);
        return refusal(500, error);
    }
    ++m_stats.firmwareUploads;
    qCInfo(lcRelayOta).noquote()
        << QStringLiteral("[OTA] %1 uploaded %2 (%3 bytes)").arg(request.peer, name).arg(request.body.size());
    return jsonWithStatus(
        201,
        QJsonObject {{QStringLiteral("name"), name},
                     {QStringLiteral("bytes"), double(request.body.size())},
                     {QStringLiteral("url"), QString(QStringLiteral("/firmware/") + name)}});
}

HttpResponse OtaManager::download(const HttpRequest &request)
{
    const QString name = nameIn(request, 10);
    const std::optional<QString> path = m_store.pathOf(name);
    if (!path)
        return refusal(404, QStringLiteral("no firmware '%1' here (GET /firmware lists them)").arg(name));
    const QString key
        = QUrlQuery(QString::fromLatin1(request.head.query())).queryItemValue(QStringLiteral("ota"));
    const bool counted = request.head.method == "GET";
    if (counted) {
        ++m_stats.firmwareDownloads;
        if (Rollout *rollout = byKey(key))
            rollout->downloadStarted(key, now());
    }
    FileOptions options;
    options.contentType = "application/octet-stream";
    options.allowGzip = false;
    options.cacheControl = "no-store";
    // The body streams from the side door (FileStream) as the socket drains; this hears how far.
    options.progress
        = [this, guard = QPointer<OtaManager>(this), key, name, peer = request.peer](qint64 sent, qint64,
                                                                                     bool finished) {
              if (!guard)
                  return; // the relay is gone
              if (!finished) {
                  if (Rollout *rollout = byKey(key))
                      rollout->downloadProgress(key, sent);
                  return;
              }
              m_stats.firmwareBytes += quint64(sent);
              qCInfo(lcRelayOta).noquote()
                  << QStringLiteral("[OTA] served %1 to %2%3: %4 bytes")
                         .arg(name, peer,
                              key.isEmpty() ? QString() : QStringLiteral(" (") + key + QLatin1Char(')'))
                         .arg(sent);
              if (Rollout *rollout = byKey(key)) {
                  rollout->downloadEnded(key, sent, now());
                  step();
              }
          };
    return FileResponder::answer(request, *path, options);
}

} // namespace GroupLoop
