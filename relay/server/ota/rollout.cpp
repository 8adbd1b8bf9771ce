#include "rollout.h"

#include "sensorframe.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace GroupLoop {

QString otaStateName(OtaState state)
{
    switch (state) {
    case OtaState::Queued:
        return QStringLiteral("queued");
    case OtaState::Sent:
        return QStringLiteral("sent");
    case OtaState::Downloading:
        return QStringLiteral("downloading");
    case OtaState::Rebooting:
        return QStringLiteral("rebooting");
    case OtaState::Updated:
        return QStringLiteral("updated");
    case OtaState::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

Rollout::Rollout(Settings settings, const QList<quint16> &targets, qint64 nowMs)
    : m_settings(std::move(settings))
{
    m_devices.reserve(targets.size());
    for (quint16 id : targets)
        m_devices.append(OtaDevice {id, OtaState::Queued, 0, {}, nowMs, false, {}});
}

int Rollout::count(OtaState state) const
{
    return int(std::count_if(m_devices.cbegin(), m_devices.cend(),
                             [state](const OtaDevice &device) { return device.state == state; }));
}

int Rollout::inFlight() const
{
    return count(OtaState::Sent) + count(OtaState::Downloading) + count(OtaState::Rebooting);
}

QString Rollout::seconds() const
{
    return QString::number(double(m_settings.timeoutMs) / 1000.0) + QStringLiteral(" s");
}

void Rollout::enter(OtaDevice &device, OtaState state, qint64 nowMs)
{
    device.state = state;
    device.sinceMs = nowMs;
    if (m_resultHook && (state == OtaState::Updated || state == OtaState::Failed))
        m_resultHook(device);
}

void Rollout::fail(OtaDevice &device, const QString &why, qint64 nowMs)
{
    device.error = why;
    enter(device, OtaState::Failed, nowMs);
}

void Rollout::advance(qint64 nowMs, const Sender &send)
{
    if (m_state == State::Running) {
        const int batch = m_settings.batch > 0 ? m_settings.batch : int(m_devices.size());
        int flying = inFlight();
        for (OtaDevice &device : m_devices) {
            if (flying >= batch)
                break;
            if (device.state != OtaState::Queued)
                continue;
            if (const std::optional<QString> why = send(device)) {
                fail(device, *why, nowMs);
                continue;
            }
            enter(device, OtaState::Sent, nowMs);
            ++flying;
        }
    }
    if (m_state == State::Running && settled())
        m_state = State::Done;
}

void Rollout::expire(qint64 nowMs)
{
    for (OtaDevice &device : m_devices) {
        if (nowMs - device.sinceMs < m_settings.timeoutMs)
            continue;
        switch (device.state) {
        case OtaState::Sent:
            fail(device,
                 attributed() ? QStringLiteral("no download within %1").arg(seconds())
                              : QStringLiteral("did not reboot within %1").arg(seconds()),
                 nowMs);
            break;
        case OtaState::Downloading:
            fail(device,
                 device.downloaded
                     ? QStringLiteral("downloaded the image but did not reboot within %1").arg(seconds())
                     : QStringLiteral("download not finished within %1 (%2 of %3 bytes)")
                           .arg(seconds())
                           .arg(device.bytes)
                           .arg(m_settings.totalBytes),
                 nowMs);
            break;
        case OtaState::Rebooting:
            fail(device, QStringLiteral("did not come back within ") + seconds(), nowMs);
            break;
        default:
            break;
        }
    }
}

void Rollout::cancel(qint64 nowMs)
{
    if (m_state != State::Running)
        return;
    for (OtaDevice &device : m_devices) {
        if (device.state == OtaState::Queued)
            fail(device, QStringLiteral("cancelled before it was sent"), nowMs);
    }
    m_state = State::Cancelled;
}

OtaDevice *Rollout::byKey(const QString &key)
{
    const auto it = std::find_if(m_devices.begin(), m_devices.end(),
                                 [&](const OtaDevice &device) { return device.downloadKey == key; });
    return key.isEmpty() || it == m_devices.end() ? nullptr : &*it;
}

OtaDevice *Rollout::byId(quint16 id)
{
    const auto it = std::find_if(m_devices.begin(), m_devices.end(),
                                 [id](const OtaDevice &device) { return device.id == id; });
    return it == m_devices.end() ? nullptr : &*it;
}

void Rollout::downloadStarted(const QString &key, qint64 nowMs)
{
    OtaDevice *device = byKey(key);
    // A second download (a retry) starts over; one after the device rebooted does not count.
    if (!device || (device->state != OtaState::Sent && device->state != OtaState::Downloading))
        return;
    enter(*device, OtaState::Downloading, nowMs);
    device->bytes = 0;
    device->downloaded = false;
}

void Rollout::downloadProgress(const QString &key, qint64 bytes)
{
    OtaDevice *device = byKey(key);
    if (device && device->state == OtaState::Downloading)
        device->bytes = bytes;
}

void Rollout::downloadEnded(const QString &key, qint64 bytes, qint64 nowMs)
{
    OtaDevice *device = byKey(key);
    if (!device || device->state != OtaState::Downloading)
        return;
    device->bytes = bytes;
    device->downloaded = bytes == m_settings.totalBytes;
    if (!device->downloaded) {
        fail(*device,
             QStringLiteral("partial download: ") + QString::number(bytes) + QStringLiteral(" of ")
                 + QString::number(m_settings.totalBytes) + QStringLiteral(" bytes"),
             nowMs);
    }
}

void Rollout::undelivered(quint16 id, const QString &why, qint64 nowMs)
{
    OtaDevice *device = byId(id);
    if (device && device->state == OtaState::Sent)
        fail(*device, why, nowMs);
}

void Rollout::deviceGone(quint16 id, qint64 nowMs)
{
    OtaDevice *device = byId(id);
    if (!device)
        return;
    // Served here: only after the whole image. From elsewhere, the relay cannot tell; a device
    // that goes away after the command is taken to be flashing it.
    if ((device->state == OtaState::Downloading && device->downloaded)
        || (device->state == OtaState::Sent && !attributed()))
        enter(*device, OtaState::Rebooting, nowMs);
}

void Rollout::deviceBack(quint16 id, qint64 nowMs)
{
    OtaDevice *device = byId(id);
    if (!device)
        return;
    if (device->state == OtaState::Rebooting)
        enter(*device, OtaState::Updated, nowMs);
    else if (device->state == OtaState::Sent && attributed())
        fail(*device, QStringLiteral("reconnected without downloading the image"), nowMs);
}

QJsonObject Rollout::toJson() const
{
    QJsonArray devices;
    for (const OtaDevice &device : m_devices) {
        QJsonObject entry {{QStringLiteral("id"), SensorFrame::idToText(device.id)},
                           {QStringLiteral("state"), otaStateName(device.state)},
                           {QStringLiteral("bytes"), double(device.bytes)}};
        entry.insert(QStringLiteral("error"),
                     device.error.isEmpty() ? QJsonValue() : QJsonValue(device.error));
        devices.append(entry);
    }
    QJsonObject counts;
    for (OtaState state : {OtaState::Queued, OtaState::Sent, OtaState::Downloading, OtaState::Rebooting,
                           OtaState::Updated, OtaState::Failed})
        counts.insert(otaStateName(state), count(state));
    static const QString stateNames[] {QStringLiteral("running"), QStringLiteral("done"),
                                       QStringLiteral("cancelled")};
    return QJsonObject {
        {QStringLiteral("id"), m_settings.id},
        {QStringLiteral("state"), stateNames[int(m_state)]},
        {QStringLiteral("firmware"), m_settings.firmware},
        {QStringLiteral("total_bytes"),
         attributed() ? QJsonValue(double(m_settings.totalBytes)) : QJsonValue()},
        {QStringLiteral("batch"), m_settings.batch},
        {QStringLiteral("timeout_s"), double(m_settings.timeoutMs) / 1000.0},
        {QStringLiteral("devices"), devices},
        {QStringLiteral("counts"), counts},
    };
}

} // namespace GroupLoop
