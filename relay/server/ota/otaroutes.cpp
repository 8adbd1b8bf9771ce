// The HTTP face of OtaManager, the rollouts: POST/GET /ota, GET/DELETE /ota/<id> for
// controllers (firmwareroutes.cpp has /firmware). Every refusal is a 4xx with one line that says
// why.
#include "accesscontrol.h"
#include "otahttp.h"
#include "otamanager.h"
#include "sensorframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>

namespace GroupLoop {

Q_DECLARE_LOGGING_CATEGORY(lcRelayOta)

using OtaHttp::jsonWithStatus;
using OtaHttp::nameIn;
using OtaHttp::refusal;

namespace {
constexpr qint64 MaxRequestBytes = 64 * 1024;
} // namespace

void OtaManager::installRoutes(HttpRouter &router, const HttpRouter::Guard &controllersOnly)
{
    router.add({{"GET"}, "/ota", false, [this](const HttpRequest &) { return list(); }, controllersOnly, 0});
    router.add({{"POST"},
                "/ota",
                false,
                [this](const HttpRequest &request) { return start(request); },
                controllersOnly,
                MaxRequestBytes});
    router.add({{"GET"},
                "/ota/",
                true,
                [this](const HttpRequest &request) { return show(request); },
                controllersOnly,
                0});
    router.add({{"DELETE"},
                "/ota/",
                true,
                [this](const HttpRequest &request) { return cancel(request); },
                controllersOnly,
                0});
    router.get("/firmware", [this](const HttpRequest &) { return HttpResponse::json(m_store.listJson()); });
    router.add({{"GET"},
                "/firmware/",
                true,
                [this](const HttpRequest &request) { return download(request); },
                {},
                0});
    router.add({{"PUT"},
                "/firmware/",
                true,
                [this](const HttpRequest &request) { return upload(request); },
                controllersOnly,
                m_store.maxBytes()});
}

std::optional<QString> OtaManager::otaRefusal() const
{
    // The route's guard admitted the request: with tokens set, it holds a controller's.
    const AccessRole role
        = m_access->mayControl(AccessRole::None) ? AccessRole::None : AccessRole::Controller;
    if (const std::optional<AccessControl::Refusal> refused = m_access->refuseOta(role))
        return refused->reason;
    return std::nullopt;
}

std::optional<HttpResponse> OtaManager::refuseOta(const HttpRequest &request) const
{
    const std::optional<QString> refused = otaRefusal();
    if (!refused)
        return std::nullopt;
    m_access->countRefusal();
    qCWarning(lcRelayOta).noquote() << QStringLiteral("[OTA] %1 %2 from %3 refused (%4)")
                                           .arg(QString::fromLatin1(request.head.method),
                                                QString::fromLatin1(request.head.path()), request.peer,
                                                *refused);
    return refusal(403, QStringLiteral("ota is refused: ") + *refused);
}

HttpResponse OtaManager::start(const HttpRequest &request)
{
    if (std::optional<HttpResponse> refused = refuseOta(request))
        return *refused;
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return refusal(400,
                       QStringLiteral("the body must be a JSON object: {\"firmware\", \"targets\", "
                                      "\"batch\", \"timeout_s\"}"));
    const QJsonObject body = document.object();

    Rollout::Settings settings;
    settings.firmware = body.value(QStringLiteral("firmware")).toString();
    if (settings.firmware.isEmpty())
        return refusal(400,
                       QStringLiteral("\"firmware\" is missing: a file name in the firmware folder or an "
                                      "http(s):// URL"));
    if (settings.firmware.startsWith(QLatin1String("http://"))
        || settings.firmware.startsWith(QLatin1String("https://"))) {
        const QUrl url(settings.firmware, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || settings.firmware.contains(QLatin1Char(' ')))
            return refusal(400, QStringLiteral("\"firmware\" is not a valid URL: ") + settings.firmware);
    } else {
        if (const std::optional<QString> problem = FirmwareStore::nameProblem(settings.firmware))
            return refusal(400, *problem);
        if (!m_store.isEnabled())
            return refusal(409, QString(FirmwareStore::NoFolder));
        settings.totalBytes = m_store.sizeOf(settings.firmware);
        if (settings.totalBytes < 0)
            return refusal(404,
                           QStringLiteral("no firmware '%1' in the firmware folder").arg(settings.firmware));
    }

    const QJsonValue targetsValue = body.value(QStringLiteral("targets"));
    const QJsonArray targetList = targetsValue.toArray();
    if (!targetsValue.isArray() || targetList.isEmpty())
        return refusal(400, QStringLiteral("\"targets\" must be [\"all\"] or a list of device ids"));
    QList<quint16> targets;
    for (const QJsonValue &target : targetList) {
        const QString text = target.toString();
        if (text == u"all") {
            targets += m_host->reachableDevices();
            continue;
        }
        const std::optional<quint16> id = SensorFrame::idFromText(text);
        if (!id)
            return refusal(400,
                           QStringLiteral("target '%1' is not \"all\" or a device id (4 hex digits)")
                               .arg(target.isString() ? text : QStringLiteral("(not a string)")));
        targets.append(*id);
    }
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());

    const QJsonValue batch = body.value(QStringLiteral("batch"));
    if (!batch.isUndefined() && !batch.isNull()) {
        if (!batch.isDouble() || batch.toDouble() < 1 || batch.toDouble() != double(batch.toInt()))
            return refusal(400, QStringLiteral("\"batch\" must be a whole number of devices, 1 or more"));
        settings.batch = batch.toInt();
    }
    const QJsonValue timeout = body.value(QStringLiteral("timeout_s"));
    double timeoutS = DefaultTimeoutS;
    if (!timeout.isUndefined() && !timeout.isNull()) {
        if (!timeout.isDouble() || timeout.toDouble() <= 0 || timeout.toDouble() > MaxTimeoutS)
            return refusal(400,
                           QStringLiteral("\"timeout_s\" must be a number of seconds over 0, at most %1")
                               .arg(MaxTimeoutS));
        timeoutS = timeout.toDouble();
    }
    settings.timeoutMs = qint64(timeoutS * 1000);
    if (targets.isEmpty())
        return refusal(409, QStringLiteral("no devices are connected to this relay"));
    if (const Rollout *busy = running())
        return refusal(409,
                       QStringLiteral("rollout %1 is still running; wait for it or cancel it (DELETE "
                                      "/ota/%1)")
                           .arg(busy->settings().id));

    settings.id = QStringLiteral("r") + QString::number(m_nextId++);
    auto rollout = std::make_unique<Rollout>(settings, targets, now());
    rollout->setResultHook([this, id = settings.id](const OtaDevice &device) {
        const QString idText = SensorFrame::idToText(device.id);
        if (device.state == OtaState::Updated) {
            ++m_stats.devicesUpdated;
            qCInfo(lcRelayOta).noquote() << QStringLiteral("[OTA] %1 %2 updated").arg(id, idText);
        } else {
            ++m_stats.devicesFailed;
            qCWarning(lcRelayOta).noquote()
                << QStringLiteral("[OTA] %1 %2 failed: %3").arg(id, idText, device.error);
        }
    });
    ++m_stats.rollouts;
    qCInfo(lcRelayOta).noquote()
        << QStringLiteral("[OTA] rollout %1 started by %2: %3 to %4 devices, batch %5, timeout %6 s")
               .arg(settings.id, request.peer, settings.firmware)
               .arg(targets.size())
               .arg(settings.batch > 0 ? QString::number(settings.batch) : QStringLiteral("all"))
               .arg(timeoutS);
    m_rollouts.push_back(std::move(rollout));
    Rollout &started = *m_rollouts.back();
    step();
    return jsonWithStatus(201, started.toJson());
}

HttpResponse OtaManager::list() const
{
    QJsonArray rollouts;
    for (const auto &rollout : m_rollouts) {
        QJsonObject summary = rollout->toJson();
        summary.remove(QStringLiteral("devices"));
        rollouts.append(summary);
    }
    // Whether this caller may start one, so a console can say "OTA is off" before it tries.
    QJsonObject answer {{QStringLiteral("rollouts"), rollouts}};
    const std::optional<QString> refused = otaRefusal();
    answer.insert(QStringLiteral("ota"), refused ? QStringLiteral("off") : QStringLiteral("on"));
    if (refused)
        answer.insert(QStringLiteral("refused"), *refused);
    return jsonWithStatus(200, answer);
}

Rollout *OtaManager::rolloutOf(const HttpRequest &request, QString *id)
{
    *id = nameIn(request, 5);
    for (const auto &rollout : m_rollouts) {
        if (rollout->settings().id == *id)
            return rollout.get();
    }
    return nullptr;
}

HttpResponse OtaManager::show(const HttpRequest &request) const
{
    QString id;
    const Rollout *rollout = const_cast<OtaManager *>(this)->rolloutOf(request, &id);
    if (!rollout)
        return refusal(404, QStringLiteral("no rollout '%1' (GET /ota lists them)").arg(id));
    return jsonWithStatus(200, rollout->toJson());
}

HttpResponse OtaManager::cancel(const HttpRequest &request)
{
    QString id;
    Rollout *rollout = rolloutOf(request, &id);
    if (!rollout)
        return refusal(404, QStringLiteral("no rollout '%1' (GET /ota lists them)").arg(id));
    if (rollout->state() != Rollout::State::Running)
        return refusal(409, QStringLiteral("rollout %1 is not running").arg(id));
    const int queued = rollout->count(OtaState::Queued);
    rollout->cancel(now());
    qCInfo(lcRelayOta).noquote()
        << QStringLiteral("[OTA] rollout %1 cancelled by %2: %3 not sent").arg(id, request.peer).arg(queued);
    step();
    return jsonWithStatus(200, rollout->toJson());
}

} // namespace GroupLoop
