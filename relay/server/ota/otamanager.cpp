#include "otamanager.h"

#include "accesscontrol.h"
#include "prometheustext.h"
#include "sensorframe.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QRandomGenerator>

namespace GroupLoop {

Q_LOGGING_CATEGORY(lcRelayOta, "grouploop.relay.ota", QtInfoMsg)

namespace {
constexpr int TickMs = 250;
} // namespace

OtaManager::OtaManager(FirmwareStore store, Host *host, AccessControl *access, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_host(host)
    , m_access(access)
{
    m_clock.start();
    m_timer.setInterval(TickMs);
    connect(&m_timer, &QTimer::timeout, this, &OtaManager::step);
}

OtaManager::~OtaManager() = default;

Rollout *OtaManager::running()
{
    for (const auto &rollout : m_rollouts) {
        if (rollout->state() == Rollout::State::Running)
            return rollout.get();
    }
    return nullptr;
}

Rollout *OtaManager::byKey(const QString &key)
{
    // Keys are "<rollout id>.<device id>.<random>"; only unsettled rollouts care about downloads.
    const QString rolloutId = key.section(QLatin1Char('.'), 0, 0);
    for (const auto &rollout : m_rollouts) {
        if (rollout->settings().id == rolloutId && !rollout->settled())
            return rollout.get();
    }
    return nullptr;
}

std::optional<QString> OtaManager::send(Rollout &rollout, OtaDevice &device)
{
    const QString idText = SensorFrame::idToText(device.id);
    QString url = rollout.settings().firmware;
    if (rollout.attributed()) {
        device.downloadKey = rollout.settings().id + QLatin1Char('.') + idText + QLatin1Char('.')
            + QString::number(QRandomGenerator::global()->generate64(), 16);
        url = m_host->httpBaseFor(device.id) + QStringLiteral("/firmware/") + url + QStringLiteral("?ota=")
            + device.downloadKey;
    }
    // A routed command that did not arrive fails the device, if the rollout still waits for it.
    const auto undelivered
        = [this, guard = QPointer<OtaManager>(this), rolloutId = rollout.settings().id, id = device.id] {
              if (!guard)
                  return;
              for (const auto &candidate : m_rollouts) {
                  if (candidate->settings().id == rolloutId) {
                      candidate->undelivered(id, QStringLiteral("not connected to any relay of the cluster"),
                                             now());
                      step();
                      return;
                  }
              }
          };
    switch (m_host->sendOta(device.id, url, undelivered)) {
    case Host::Delivery::NotConnected:
        return QStringLiteral("not connected to this relay");
    case Host::Delivery::Routed:
        qCInfo(lcRelayOta).noquote() << QStringLiteral("[OTA] %1 sent %2 ota:%3 via the cluster")
                                            .arg(rollout.settings().id, idText, url);
        break;
    case Host::Delivery::Sent:
        qCInfo(lcRelayOta).noquote()
            << QStringLiteral("[OTA] %1 sent %2 ota:%3").arg(rollout.settings().id, idText, url);
        break;
    }
    return std::nullopt;
}

void OtaManager::step()
{
    bool anyRunning = false;
    for (const auto &rollout : m_rollouts) {
        if (m_reported.contains(rollout->settings().id))
            continue;
        rollout->expire(now());
        rollout->advance(now(), [this, &rollout](OtaDevice &device) { return send(*rollout, device); });
        if (rollout->settled()) {
            m_reported.insert(rollout->settings().id);
            finished(*rollout);
        } else {
            anyRunning = true;
        }
    }
    if (anyRunning && !m_timer.isActive())
        m_timer.start();
    else if (!anyRunning)
        m_timer.stop();
    while (m_rollouts.size() > size_t(MaxKeptRollouts) && m_rollouts.front()->settled()) {
        m_reported.remove(m_rollouts.front()->settings().id);
        m_rollouts.erase(m_rollouts.begin());
    }
}

void OtaManager::finished(const Rollout &rollout)
{
    qCInfo(lcRelayOta).noquote() << QStringLiteral("[OTA] rollout %1 %2: %3 updated, %4 failed")
                                        .arg(rollout.settings().id,
                                             rollout.state() == Rollout::State::Cancelled
                                                 ? QStringLiteral("cancelled")
                                                 : QStringLiteral("done"))
                                        .arg(rollout.count(OtaState::Updated))
                                        .arg(rollout.count(OtaState::Failed));
}

void OtaManager::deviceGone(quint16 id)
{
    forEachUnsettled([this, id](Rollout &rollout) { rollout.deviceGone(id, now()); });
}

void OtaManager::deviceBack(quint16 id)
{
    forEachUnsettled([this, id](Rollout &rollout) { rollout.deviceBack(id, now()); });
}

void OtaManager::forEachUnsettled(const std::function<void(Rollout &rollout)> &event)
{
    bool any = false;
    for (const auto &rollout : m_rollouts) {
        if (!rollout->settled()) {
            event(*rollout);
            any = true;
        }
    }
    if (any)
        step();
}

QByteArray OtaManager::metricsText() const
{
    PrometheusText out("grouploop_relay_");
    out.single("ota_rollouts_total", "counter", "Firmware rollouts started.", double(m_stats.rollouts));
    out.single("ota_devices_updated_total", "counter", "Devices a rollout updated.",
               double(m_stats.devicesUpdated));
    out.single("ota_devices_failed_total", "counter", "Devices a rollout failed.",
               double(m_stats.devicesFailed));
    out.single("firmware_downloads_total", "counter", "Firmware downloads served.",
               double(m_stats.firmwareDownloads));
    out.single("firmware_bytes_total", "counter", "Firmware bytes served.", double(m_stats.firmwareBytes));
    out.single("firmware_uploads_total", "counter", "Firmware images uploaded.",
               double(m_stats.firmwareUploads));
    return out.text();
}

} // namespace GroupLoop
