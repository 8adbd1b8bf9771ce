// SwarmController: the simulator panel's side of a swarm of virtual devices. It holds the
// settings the panel edits, owns the one SwarmRunner of the console (the --demo swarm is the
// same one), mirrors its live counters and keeps the latest true-state snapshot for the field
// overlay. All link I/O and physics stay in the runner's worker thread; this object only reads
// what the worker publishes, at a fixed rate.
#pragma once

#include "swarmrunner.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class RelayClient;

class SwarmController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SwarmController is provided by the console")

    // Settings (take effect on the next start).
    Q_PROPERTY(int devices READ devices WRITE setDevices NOTIFY configChanged)
    Q_PROPERTY(double hz READ hz WRITE setHz NOTIFY configChanged)
    Q_PROPERTY(int gateway READ gateway WRITE setGateway NOTIFY configChanged)
    Q_PROPERTY(QString rotation READ rotation WRITE setRotation NOTIFY configChanged)
    Q_PROPERTY(double maxRollRate READ maxRollRate WRITE setMaxRollRate NOTIFY configChanged)
    Q_PROPERTY(double maxPitchRate READ maxPitchRate WRITE setMaxPitchRate NOTIFY configChanged)
    Q_PROPERTY(double maxYawRate READ maxYawRate WRITE setMaxYawRate NOTIFY configChanged)
    Q_PROPERTY(double alignment READ alignment WRITE setAlignment NOTIFY configChanged)
    Q_PROPERTY(double cohesion READ cohesion WRITE setCohesion NOTIFY configChanged)
    Q_PROPERTY(double separation READ separation WRITE setSeparation NOTIFY configChanged)
    Q_PROPERTY(double alignmentRadius READ alignmentRadius WRITE setAlignmentRadius NOTIFY configChanged)
    Q_PROPERTY(double cohesionRadius READ cohesionRadius WRITE setCohesionRadius NOTIFY configChanged)
    Q_PROPERTY(double separationRadius READ separationRadius WRITE setSeparationRadius NOTIFY configChanged)
    Q_PROPERTY(double maxSpeed READ maxSpeed WRITE setMaxSpeed NOTIFY configChanged)
    Q_PROPERTY(double maxForce READ maxForce WRITE setMaxForce NOTIFY configChanged)
    Q_PROPERTY(double tapRate READ tapRate WRITE setTapRate NOTIFY configChanged)
    // Empty: a fresh random seed per run; otherwise a decimal number 0..4294967295.
    Q_PROPERTY(QString seedText READ seedText WRITE setSeedText NOTIFY configChanged)
    // Empty: the relay the console itself uses (defaultUrl).
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY configChanged)
    Q_PROPERTY(QString defaultUrl READ defaultUrl NOTIFY defaultUrlChanged)
    Q_PROPERTY(bool showTruePositions READ showTruePositions WRITE setShowTruePositions NOTIFY
                   showTruePositionsChanged)

    // State and live counters.
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString targetUrl READ targetUrl NOTIFY runningChanged)
    Q_PROPERTY(int runningDevices READ runningDevices NOTIFY statsChanged)
    Q_PROPERTY(int sockets READ sockets NOTIFY statsChanged)
    Q_PROPERTY(int openSockets READ openSockets NOTIFY statsChanged)
    Q_PROPERTY(double framesPerSecond READ framesPerSecond NOTIFY statsChanged)
    Q_PROPERTY(double framesSent READ framesSent NOTIFY statsChanged)
    Q_PROPERTY(double commandsReceived READ commandsReceived NOTIFY statsChanged)
    Q_PROPERTY(double reconnects READ reconnects NOTIFY statsChanged)
    Q_PROPERTY(double connectFailures READ connectFailures NOTIFY statsChanged)
    Q_PROPERTY(double elapsedSeconds READ elapsedSeconds NOTIFY statsChanged)
    Q_PROPERTY(QString seedInUse READ seedInUse NOTIFY statsChanged)
    Q_PROPERTY(QString lastLinkError READ lastLinkError NOTIFY statsChanged)
    Q_PROPERTY(int snapshotCount READ snapshotCount NOTIFY snapshotChanged)

public:
    static constexpr int MaxDevices = 5000;
    static constexpr int SnapshotHz = 20;

    explicit SwarmController(RelayClient *relay = nullptr, QObject *parent = nullptr);
    ~SwarmController() override;

    int devices() const { return m_config.swarm.devices; }
    void setDevices(int devices);
    double hz() const { return m_config.link.hz; }
    void setHz(double hz);
    int gateway() const { return m_config.link.gateway; }
    void setGateway(int gateway);
    QString rotation() const { return rotationModeName(m_config.swarm.rotation); }
    void setRotation(const QString &name);
    double maxRollRate() const { return m_config.swarm.maxAngularVelocity[0]; }
    void setMaxRollRate(double v) { setDouble(m_config.swarm.maxAngularVelocity[0], v); }
    double maxPitchRate() const { return m_config.swarm.maxAngularVelocity[1]; }
    void setMaxPitchRate(double v) { setDouble(m_config.swarm.maxAngularVelocity[1], v); }
    double maxYawRate() const { return m_config.swarm.maxAngularVelocity[2]; }
    void setMaxYawRate(double v) { setDouble(m_config.swarm.maxAngularVelocity[2], v); }
    double alignment() const { return m_config.swarm.flocking.alignment; }
    void setAlignment(double v) { setDouble(m_config.swarm.flocking.alignment, v); }
    double cohesion() const { return m_config.swarm.flocking.cohesion; }
    void setCohesion(double v) { setDouble(m_config.swarm.flocking.cohesion, v); }
    double separation() const { return m_config.swarm.flocking.separation; }
    void setSeparation(double v) { setDouble(m_config.swarm.flocking.separation, v); }
    double alignmentRadius() const { return m_config.swarm.flocking.alignmentRadius; }
    void setAlignmentRadius(double v) { setDouble(m_config.swarm.flocking.alignmentRadius, v); }
    double cohesionRadius() const { return m_config.swarm.flocking.cohesionRadius; }
    void setCohesionRadius(double v) { setDouble(m_config.swarm.flocking.cohesionRadius, v); }
    double separationRadius() const { return m_config.swarm.flocking.separationRadius; }
    void setSeparationRadius(double v) { setDouble(m_config.swarm.flocking.separationRadius, v); }
    double maxSpeed() const { return m_config.swarm.flocking.maxSpeed; }
    void setMaxSpeed(double v) { setDouble(m_config.swarm.flocking.maxSpeed, v); }
    double maxForce() const { return m_config.swarm.flocking.maxForce; }
    void setMaxForce(double v) { setDouble(m_config.swarm.flocking.maxForce, v); }
    double tapRate() const { return m_config.swarm.tapRate; }
    void setTapRate(double v) { setDouble(m_config.swarm.tapRate, v); }
    QString seedText() const { return m_seedText; }
    void setSeedText(const QString &text);
    QString url() const { return m_url; }
    void setUrl(const QString &url);
    QString defaultUrl() const;
    bool showTruePositions() const { return m_showTruePositions; }
    void setShowTruePositions(bool show);

    bool isRunning() const { return m_runner.isRunning(); }
    QString error() const { return m_error; }
    QString targetUrl() const { return m_targetUrl.toString(); }
    int runningDevices() const { return m_stats.devices; }
    int sockets() const { return m_stats.sockets; }
    int openSockets() const { return m_stats.openSockets; }
    double framesPerSecond() const { return m_stats.framesPerSecond; }
    double framesSent() const { return double(m_stats.framesSent); }
    double commandsReceived() const { return double(m_stats.commandsReceived); }
    double reconnects() const { return double(m_stats.reconnects); }
    double connectFailures() const { return double(m_stats.connectFailures); }
    double elapsedSeconds() const { return m_stats.elapsedMs / 1000.0; }
    QString seedInUse() const;
    QString lastLinkError() const { return m_stats.lastError; }

    // The true state of every device, refreshed at SnapshotHz while running.
    const QList<DeviceSnapshot> &snapshot() const { return m_snapshot; }
    int snapshotCount() const { return int(m_snapshot.size()); }
    // LED colours of one device (6 colours, "#rrggbb"), empty when the swarm has no such id.
    Q_INVOKABLE QStringList ledColoursOf(const QString &id) const;
    Q_INVOKABLE QStringList deviceIds() const;

    // The configuration start() would use, or an error (empty config.validate() on success).
    SimulationConfig buildConfig(QString *error) const;

    // Starts (or restarts) the swarm with the current settings; false with `error` set if the
    // settings or the relay URL are bad.
    Q_INVOKABLE bool start();
    Q_INVOKABLE void stop();
    // Settings back to the old simulator's defaults.
    Q_INVOKABLE void resetDefaults();
    // The console's --demo N: N devices at 20 Hz into `url` (gateways of 4 above 200 devices).
    bool startDemo(int devices, const QUrl &url, QString *error);

    // Test hook: how devices fetch an `ota` image.
    void setOtaFetcherFactory(OtaFetcherFactory factory)
    {
        m_runner.setOtaFetcherFactory(std::move(factory));
    }

Q_SIGNALS:
    void configChanged();
    void defaultUrlChanged();
    void showTruePositionsChanged();
    void runningChanged();
    void errorChanged();
    void statsChanged();
    void snapshotChanged();
    void logEvent(int level, const QString &category, const QString &text);

private:
    void setDouble(double &field, double value);
    void setError(const QString &error);
    void refresh();

    QPointer<RelayClient> m_relay;
    SwarmRunner m_runner;
    SimulationConfig m_config;
    QString m_seedText;
    QString m_url;
    QUrl m_targetUrl;
    bool m_showTruePositions = true;
    QString m_error;
    SwarmStats m_stats;
    QList<DeviceSnapshot> m_snapshot;
    QTimer m_refresh;
};

} // namespace GroupLoop
