// Rollout: one firmware update of a set of devices, as a state machine with no sockets, so it
// can be tested alone. Devices start `queued`; at most `batch` of them are in flight (sent,
// downloading, rebooting) at a time, and the next are sent as earlier ones end. A device is
// `updated` once it downloaded the whole image, its connection closed and its id streamed
// again; it is `failed`, with a reason, when a phase outlasts the timeout, the download stops
// short, or it cannot be sent the command. The owner feeds it what the relay sees.
#pragma once

#include <QList>
#include <QString>

#include <functional>
#include <optional>

class QJsonObject;

namespace GroupLoop {

enum class OtaState { Queued, Sent, Downloading, Rebooting, Updated, Failed };
QString otaStateName(OtaState state);

struct OtaDevice
{
    quint16 id = 0;
    OtaState state = OtaState::Queued;
    qint64 bytes = 0; // served to this device by the latest download
    QString error; // why it failed
    qint64 sinceMs = 0; // when it entered its state (timeouts)
    bool downloaded = false; // the whole image went out
    QString downloadKey; // attributes a download to this device (the URL's ?ota=)
};

class Rollout
{
public:
    enum class State { Running, Done, Cancelled };

    struct Settings
    {
        QString id;
        QString firmware; // a name in the firmware folder, or an http(s):// URL
        qint64 totalBytes = -1; // -1: not served here (an outside URL), downloads are not seen
        int batch = 0; // 0: all at once
        qint64 timeoutMs = 120000; // per phase: to start downloading, to reboot, to come back
    };
    // Sends the ota command to a device; nullopt when sent, else why not (the device fails).
    using Sender = std::function<std::optional<QString>(OtaDevice &device)>;

    Rollout(Settings settings, const QList<quint16> &targets, qint64 nowMs);

    // Hears every device that ends updated or failed (for the log and the counters).
    void setResultHook(std::function<void(const OtaDevice &device)> hook) { m_resultHook = std::move(hook); }

    const Settings &settings() const { return m_settings; }
    State state() const { return m_state; }
    const QList<OtaDevice> &devices() const { return m_devices; }
    int count(OtaState state) const;
    bool attributed() const { return m_settings.totalBytes >= 0; }
    // Nothing left to send or to follow (a cancelled rollout may still have devices in flight).
    bool settled() const { return count(OtaState::Queued) == 0 && inFlight() == 0; }

    // Sends to queued devices while fewer than `batch` are in flight, and ends the rollout
    // when none is left. Call after every event and on a timer.
    void advance(qint64 nowMs, const Sender &send);
    // Fails the devices whose phase outlasted the timeout.
    void expire(qint64 nowMs);
    // Queued devices fail ("cancelled"); those in flight are still followed.
    void cancel(qint64 nowMs);

    // What the relay sees. An event about no device of this rollout, or about a device in a
    // state it does not matter to, changes nothing.
    void downloadStarted(const QString &key, qint64 nowMs);
    void downloadProgress(const QString &key, qint64 bytes);
    void downloadEnded(const QString &key, qint64 bytes, qint64 nowMs);
    // A command sent through the cluster did not reach the device: it fails, if still `sent`.
    void undelivered(quint16 id, const QString &why, qint64 nowMs);
    void deviceGone(quint16 id, qint64 nowMs);
    void deviceBack(quint16 id, qint64 nowMs);

    QJsonObject toJson() const;

private:
    OtaDevice *byKey(const QString &key);
    OtaDevice *byId(quint16 id);
    void enter(OtaDevice &device, OtaState state, qint64 nowMs);
    void fail(OtaDevice &device, const QString &why, qint64 nowMs);
    int inFlight() const;
    QString seconds() const;

    Settings m_settings;
    State m_state = State::Running;
    QList<OtaDevice> m_devices;
    std::function<void(const OtaDevice &device)> m_resultHook;
};

} // namespace GroupLoop
