#include "swarmcontroller.h"

#include "lightwebsocket.h"
#include "logmodel.h"
#include "relayclient.h"
#include "sensorframe.h"

#include <cmath>

namespace GroupLoop {

SwarmController::SwarmController(RelayClient *relay, QObject *parent)
    : QObject(parent)
    , m_relay(relay)
{
    m_config.snapshotHz = SnapshotHz;
    m_config.link.hz = 20.0;
    if (m_relay)
        connect(m_relay, &RelayClient::urlChanged, this, &SwarmController::defaultUrlChanged);
    // Counters and the true-state snapshot are read at a fixed UI rate, never per frame.
    m_refresh.setInterval(1000 / SnapshotHz);
    connect(&m_refresh, &QTimer::timeout, this, &SwarmController::refresh);
    connect(&m_runner, &SwarmRunner::runningChanged, this, [this](bool running) {
        if (running)
            m_refresh.start();
        else
            m_refresh.stop();
        refresh();
        Q_EMIT runningChanged();
    });
}

SwarmController::~SwarmController()
{
    m_refresh.stop();
    m_runner.stop();
}

void SwarmController::setDevices(int devices)
{
    if (devices == m_config.swarm.devices)
        return;
    m_config.swarm.devices = devices;
    Q_EMIT configChanged();
}

void SwarmController::setHz(double hz)
{
    setDouble(m_config.link.hz, hz);
}

void SwarmController::setGateway(int gateway)
{
    if (gateway == m_config.link.gateway)
        return;
    m_config.link.gateway = gateway;
    Q_EMIT configChanged();
}

void SwarmController::setRotation(const QString &name)
{
    const auto mode = rotationModeFromName(name);
    if (!mode) {
        setError(tr("Unknown rotation mode '%1' (use off, constant or random)").arg(name));
        return;
    }
    if (*mode == m_config.swarm.rotation)
        return;
    m_config.swarm.rotation = *mode;
    Q_EMIT configChanged();
}

void SwarmController::setSeedText(const QString &text)
{
    if (text == m_seedText)
        return;
    m_seedText = text;
    Q_EMIT configChanged();
}

void SwarmController::setUrl(const QString &url)
{
    if (url == m_url)
        return;
    m_url = url;
    Q_EMIT configChanged();
}

QString SwarmController::defaultUrl() const
{
    return m_relay ? m_relay->urlText() : QString();
}

void SwarmController::setShowTruePositions(bool show)
{
    if (show == m_showTruePositions)
        return;
    m_showTruePositions = show;
    Q_EMIT showTruePositionsChanged();
}

QString SwarmController::seedInUse() const
{
    return m_stats.running || m_stats.seed != 0 ? QString::number(m_stats.seed) : QString();
}

void SwarmController::setDouble(double &field, double value)
{
    if (field == value)
        return;
    field = value;
    Q_EMIT configChanged();
}

void SwarmController::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

SimulationConfig SwarmController::buildConfig(QString *error) const
{
    SimulationConfig config = m_config;
    error->clear();
    if (config.swarm.devices < 1 || config.swarm.devices > MaxDevices) {
        *error
            = tr("Device count must be between 1 and %1 (got %2)").arg(MaxDevices).arg(config.swarm.devices);
        return config;
    }
    const QString seed = m_seedText.trimmed();
    if (seed.isEmpty()) {
        config.swarm.seed.reset();
    } else {
        bool ok = false;
        const qulonglong value = seed.toULongLong(&ok, 10);
        if (!ok || value > 0xffffffffULL) {
            *error = tr("Seed must be a whole number from 0 to 4294967295, or empty for a random one");
            return config;
        }
        config.swarm.seed = quint32(value);
    }
    const QString urlText = m_url.trimmed().isEmpty() ? defaultUrl() : m_url.trimmed();
    if (urlText.isEmpty()) {
        *error = tr("No relay to connect to: enter a ws:// URL");
        return config;
    }
    config.link.url = QUrl(urlText, QUrl::StrictMode);
    QString why;
    if (!config.link.url.isValid() || !LightWebSocket::isSupportedUrl(config.link.url, &why)) {
        *error
            = tr("Bad relay URL '%1': %2").arg(urlText, why.isEmpty() ? config.link.url.errorString() : why);
        return config;
    }
    const QString problem = config.validate();
    if (!problem.isEmpty())
        *error = problem.at(0).toUpper() + problem.mid(1);
    return config;
}

bool SwarmController::start()
{
    QString error;
    const SimulationConfig config = buildConfig(&error);
    if (!error.isEmpty()) {
        setError(error);
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("simulator"), error);
        return false;
    }
    m_targetUrl = config.link.url;
    if (!m_runner.start(config, &error)) {
        setError(error);
        Q_EMIT logEvent(LogModel::Error, QStringLiteral("simulator"), error);
        return false;
    }
    setError({});
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("simulator"),
                    tr("Started %n virtual device(s) streaming to %1", nullptr, config.swarm.devices)
                        .arg(config.link.url.toString()));
    return true;
}

void SwarmController::stop()
{
    if (!m_runner.isRunning())
        return;
    m_runner.stop();
    m_snapshot.clear();
    Q_EMIT snapshotChanged();
    Q_EMIT logEvent(LogModel::Info, QStringLiteral("simulator"), tr("Stopped the virtual devices"));
}

void SwarmController::resetDefaults()
{
    const bool show = m_showTruePositions;
    m_config = SimulationConfig();
    m_config.snapshotHz = SnapshotHz;
    m_config.link.hz = 20.0;
    m_seedText.clear();
    m_url.clear();
    m_showTruePositions = show;
    Q_EMIT configChanged();
}

bool SwarmController::startDemo(int devices, const QUrl &url, QString *error)
{
    m_config.swarm.devices = devices;
    m_config.link.gateway = devices > 200 ? 4 : 1;
    m_config.link.hz = 20.0;
    m_url = url.toString();
    Q_EMIT configChanged();
    const bool ok = start();
    if (!ok && error)
        *error = m_error;
    return ok;
}

QStringList SwarmController::ledColoursOf(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    if (!value)
        return {};
    for (const DeviceSnapshot &device : m_snapshot) {
        if (device.id != *value)
            continue;
        QStringList colours;
        for (const Rgb &led : device.leds)
            colours << QLatin1Char('#') + led.toHex();
        return colours;
    }
    return {};
}

QStringList SwarmController::deviceIds() const
{
    QStringList ids;
    ids.reserve(m_snapshot.size());
    for (const DeviceSnapshot &device : m_snapshot)
        ids << SensorFrame::idToText(device.id);
    return ids;
}

void SwarmController::refresh()
{
    m_stats = m_runner.stats();
    Q_EMIT statsChanged();
    if (m_runner.isRunning()) {
        m_snapshot = m_runner.snapshot();
        Q_EMIT snapshotChanged();
    }
}

} // namespace GroupLoop
