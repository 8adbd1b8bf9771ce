// The firmware folder over HTTP: GET /firmware/<name> streams the image to anyone (devices
// fetch it without a token) and attributes it to a rollout's device by its ?ota= key; PUT
// /firmware/<name> stores one for controllers on a relay that allows ota.
#include "accesscontrol.h"
#include "firmwarestream.h"
#include "otahttp.h"
#include "otamanager.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
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
        return refusal(409, QStringLiteral("this relay has no firmware folder (--firmware-dir)"));
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
    HttpResponse response;
    response.contentType = "application/octet-stream";
    response.streamLength = QFileInfo(*path).size();
    response.stream = [this, guard = QPointer<OtaManager>(this), key, name, path = *path,
                       peer = request.peer](QTcpSocket *socket) {
        ++m_stats.firmwareDownloads;
        if (Rollout *rollout = byKey(key))
            rollout->downloadStarted(key, now());
        const auto progress = [this, guard, key](qint64 bytes) {
            if (Rollout *rollout = guard ? byKey(key) : nullptr)
                rollout->downloadProgress(key, bytes);
        };
        const auto ended = [this, guard, key, name, peer](qint64 bytes) {
            if (!guard)
                return; // the relay is gone
            m_stats.firmwareBytes += quint64(bytes);
            qCInfo(lcRelayOta).noquote()
                << QStringLiteral("[OTA] served %1 to %2%3: %4 bytes")
                       .arg(name, peer,
                            key.isEmpty() ? QString() : QStringLiteral(" (") + key + QLatin1Char(')'))
                       .arg(bytes);
            if (Rollout *rollout = byKey(key)) {
                rollout->downloadEnded(key, bytes, now());
                step();
            }
        };
        FirmwareStream::start(socket, socket->bytesToWrite(), path, progress, ended);
    };
    return response;
}

} // namespace GroupLoop
