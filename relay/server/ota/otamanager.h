// OtaManager: the relay's firmware rollouts (docs/ota.md). It keeps the rollouts, sends each
// device `ota:<url>` with a URL that attributes the download to it (?ota=<key>), follows the
// downloads it serves from the firmware folder and the device's connection going and its id
// coming back, and answers the /ota and /firmware routes (otaroutes.cpp). The relay tells it
// what it sees through deviceGone()/deviceBack() and lends it a Host to reach devices.
#pragma once

#include "firmwarestore.h"
#include "httprouter.h"
#include "rollout.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace GroupLoop {

class AccessControl;

struct OtaStats
{
    quint64 rollouts = 0;
    quint64 devicesUpdated = 0;
    quint64 devicesFailed = 0;
    quint64 firmwareDownloads = 0;
    quint64 firmwareBytes = 0;
    quint64 firmwareUploads = 0;
};

class OtaManager : public QObject
{
    Q_OBJECT
public:
    class Host
    {
    public:
        enum class Delivery {
            Sent, // down the device's connection here
            Routed, // through the cluster to the relay it is on; `undelivered` if it did not arrive
            NotConnected, // not here, and no cluster to ask
        };
        // Sends `ota:<url>` to the device the way commands go. `undelivered` is called at most
        // once, later (never inside the call), when a routed command did not reach the device.
        virtual Delivery sendOta(quint16 id, const QString &url, std::function<void()> undelivered) = 0;
        // The devices "all" means: connected here, and in cluster mode on the other relays too.
        virtual QList<quint16> reachableDevices() const = 0;
        // http://<the relay's address on the device's connection>:<port>, or --public-http-url.
        virtual QString httpBaseFor(quint16 id) const = 0;

    protected:
        ~Host() = default;
    };

    OtaManager(FirmwareStore store, Host *host, AccessControl *access, QObject *parent = nullptr);
    ~OtaManager() override;

    // /ota, /ota/<id>, /firmware, /firmware/<name> (otaroutes.cpp).
    void installRoutes(HttpRouter &router, const HttpRouter::Guard &controllersOnly);

    // The device's connection closed, or its id streamed again: here, or on another relay of
    // the cluster (the backplane's "gone" and frames).
    void deviceGone(quint16 id);
    void deviceBack(quint16 id);

    const FirmwareStore &store() const { return m_store; }
    const OtaStats &stats() const { return m_stats; }
    QByteArray metricsText() const; // Prometheus families, appended to /metrics

    static constexpr int MaxKeptRollouts = 20; // finished ones beyond this are forgotten
    static constexpr qint64 MaxTimeoutS = 3600;
    static constexpr qint64 DefaultTimeoutS = 120;

private:
    // otaroutes.cpp
    HttpResponse start(const HttpRequest &request);
    HttpResponse list() const;
    HttpResponse show(const HttpRequest &request) const;
    HttpResponse cancel(const HttpRequest &request);
    HttpResponse upload(const HttpRequest &request);
    HttpResponse download(const HttpRequest &request);
    std::optional<QString> otaRefusal() const; // why this relay refuses OTA, if it does
    std::optional<HttpResponse> refuseOta(const HttpRequest &request) const;
    Rollout *rolloutOf(const HttpRequest &request, QString *id);

    // otamanager.cpp
    void step(); // every rollout: expire, advance, log the finished ones
    void finished(const Rollout &rollout);
    // Tells every rollout still following devices of an event, then steps them.
    void forEachUnsettled(const std::function<void(Rollout &rollout)> &event);
    std::optional<QString> send(Rollout &rollout, OtaDevice &device);
    Rollout *running();
    Rollout *byKey(const QString &key);
    qint64 now() const { return m_clock.elapsed(); }

    FirmwareStore m_store;
    Host *m_host;
    AccessControl *m_access;
    std::vector<std::unique_ptr<Rollout>> m_rollouts; // oldest first
    QElapsedTimer m_clock;
    QTimer m_timer; // timeouts, while a rollout runs
    QSet<QString> m_reported; // rollouts whose end was logged: nothing left to step
    quint64 m_nextId = 1;
    OtaStats m_stats;
};

} // namespace GroupLoop
