#include "outputscontroller.h"

#include "appsettings.h"
#include "devicestore.h"
#include "localpath.h"
#include "osccommandreceiver.h"
#include "outputdestinationmodel.h"
#include "outputmappingmodel.h"
#include "rtmidisink.h"
#include "showcontrolbridge.h"

#include <QFileInfo>

namespace GroupLoop {

namespace {
int heardBeacons(const SensorFrame &frame)
{
    int heard = 0;
    for (quint8 beacon : frame.beacons)
        heard += beacon != 0 ? 1 : 0;
    return heard;
}
} // namespace

OutputsController::OutputsController(DeviceStore *store, CommandController *commands, RegistryModel *registry,
                                     AppSettings *settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_settings(settings)
    , m_oscIn(new OscCommandReceiver(this))
    , m_bridge(new ShowControlBridge(m_oscIn, commands, store, registry, this))
    , m_destinationModel(new OutputDestinationModel(&m_engine.osc(), this))
    , m_mappingModel(new OutputMappingModel(&m_engine, this))
{
    setMidiBackend(nullptr, nullptr);
    connect(store, &DeviceStore::ticked, this, &OutputsController::onTick);
    connect(&m_engine, &OutputsEngine::statsChanged, this, [this] {
        m_destinationModel->refreshCounters();
        Q_EMIT statsChanged();
    });
    connect(&m_engine, &OutputsEngine::statusChanged, this, &OutputsController::midiChanged);
    connect(&m_engine, &OutputsEngine::problem, this,
            [this](const QString &text) { Q_EMIT problem(QStringLiteral("outputs"), text); });
    connect(m_oscIn, &OscCommandReceiver::problem, this,
            [this](const QString &text) { Q_EMIT problem(QStringLiteral("osc-in"), text); });
    connect(m_oscIn, &OscCommandReceiver::statusChanged, this, &OutputsController::oscInChanged);
}

OutputsController::~OutputsController() = default;

void OutputsController::setMidiBackend(MidiSinkFactory factory, MidiPortLister lister)
{
    m_midiFactory = factory ? std::move(factory) : [](const QString &port) -> std::unique_ptr<MidiSink> {
        return std::make_unique<RtMidiSink>(port);
    };
    m_midiPorts
        = lister ? std::move(lister) : [](QString *error) { return RtMidiSink::availablePorts(error); };
}

void OutputsController::onTick()
{
    // What the store knows after this tick: its own (smoothed) position estimate, in metres,
    // while the latest frame has the three beacons a position needs.
    m_builder.begin(m_store->lastTickMs());
    for (const DeviceState &device : m_store->devices()) {
        std::optional<QPointF> position;
        if (device.hasPosition && heardBeacons(device.last) >= 3)
            position = device.position / 100.0;
        m_builder.add(device.id, device.last, device.frames, device.taps, m_store->isSelected(device.id),
                      position);
    }
    m_engine.process(m_builder.finish());
}

void OutputsController::restore()
{
    QString file = m_settings ? m_settings->value(settingsFileKey()).toString() : QString();
    if (file.isEmpty() && !m_defaultFile.isEmpty())
        file = m_defaultFile;
    if (!file.isEmpty()) {
        if (QFileInfo::exists(file)) {
            if (!load(file)) {
                m_writable = false; // keep the file as it is; the user fixes it or saves elsewhere
                Q_EMIT problem(
                    QStringLiteral("outputs"),
                    tr("%1 (changes are not saved until you load or save a file)").arg(m_lastError));
            }
        } else {
            m_file = file;
            Q_EMIT fileChanged();
        }
    }
    const int oscIn = m_settings ? m_settings->value(settingsOscInKey(), -1).toInt() : -1;
    if (oscIn >= 0 && !oscInListening())
        listenOscIn(oscIn);
}

void OutputsController::addCommandLineDestination(const OscDestination &destination)
{
    for (const OscDestination &known : std::as_const(m_commandLineDestinations)) {
        if (known.label() == destination.label())
            return;
    }
    m_commandLineDestinations.append(destination);
    applyDestinations();
}

QString OutputsController::midiStatus() const
{
    return midiEnabled() ? m_engine.midi().statusText() : tr("off");
}

bool OutputsController::oscInListening() const
{
    return m_oscIn->isListening();
}

int OutputsController::oscInPort() const
{
    return m_oscIn->isListening() ? int(m_oscIn->port()) : -1;
}

QString OutputsController::oscInStatus() const
{
    return m_oscIn->statusText();
}

QString OutputsController::statsText() const
{
    const OutputsEngine::Stats &s = m_engine.stats();
    return tr("%1 OSC messages/s in %2 datagrams/s, %3 MIDI messages/s; tick %4 ms (max %5 ms)")
        .arg(qRound(s.oscMessagesPerSecond))
        .arg(qRound(s.oscDatagramsPerSecond))
        .arg(qRound(s.midiMessagesPerSecond))
        .arg(double(s.lastTickNs) / 1e6, 0, 'f', 2)
        .arg(double(s.maxTickNs) / 1e6, 0, 'f', 2);
}

QStringList OutputsController::sourceNames() const
{
    return MappingSources::names();
}

void OutputsController::setLastError(const QString &error)
{
    if (error == m_lastError)
        return;
    m_lastError = error;
    Q_EMIT lastErrorChanged();
}

bool OutputsController::load(const QString &pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    QString error;
    const auto config = OutputsConfig::load(path, &error);
    if (!config) {
        setLastError(error);
        Q_EMIT problem(QStringLiteral("outputs"), error);
        return false;
    }
    apply(*config);
    useFile(path);
    Q_EMIT info(QStringLiteral("outputs"),
                tr("Outputs from %1: %2 OSC destinations, %3 mappings, MIDI %4")
                    .arg(path)
                    .arg(config->destinations.size())
                    .arg(config->mappings.size())
                    .arg(config->midiEnabled ? midiStatus() : tr("off")));
    return true;
}

bool OutputsController::save(const QString &pathOrUrl)
{
    const QString path = localPath(pathOrUrl);
    QString error;
    if (path.isEmpty() || !fileConfig().save(path, &error)) {
        setLastError(path.isEmpty() ? tr("Choose a file to save to") : error);
        return false;
    }
    useFile(path);
    return true;
}

void OutputsController::useFile(const QString &path)
{
    m_file = path;
    m_writable = true;
    if (m_settings)
        m_settings->setValue(settingsFileKey(), path);
    setLastError(QString());
    Q_EMIT fileChanged();
}

void OutputsController::changed()
{
    if (m_file.isEmpty() || !m_writable)
        return;
    QString error;
    if (!fileConfig().save(m_file, &error)) {
        setLastError(error);
        Q_EMIT problem(QStringLiteral("outputs"), error);
    }
}

OutputsConfig OutputsController::fileConfig() const
{
    OutputsConfig config = m_engine.config();
    config.destinations = m_fileDestinations;
    return config;
}

void OutputsController::apply(const OutputsConfig &config)
{
    m_fileDestinations = config.destinations;
    m_engine.setMaxDatagramBytes(config.maxDatagramBytes);
    applyDestinations();
    m_engine.setMappings(config.mappings);
    if (!config.midiEnabled)
        m_engine.closeMidi();
    else if (!midiEnabled() || config.midiPort != midiPort())
        m_engine.setMidiSink(m_midiFactory(config.midiPort), config.midiPort);
    Q_EMIT midiChanged();
}

void OutputsController::applyDestinations()
{
    QList<OscDestination> all = m_fileDestinations;
    QSet<QString> fileLabels;
    for (const OscDestination &d : std::as_const(m_fileDestinations))
        fileLabels.insert(d.label());
    QSet<QString> commandLine;
    for (const OscDestination &d : std::as_const(m_commandLineDestinations)) {
        if (fileLabels.contains(d.label()))
            continue;
        all.append(d);
        commandLine.insert(d.label());
    }
    m_engine.setDestinations(all);
    m_destinationModel->setCommandLine(commandLine);
}

bool OutputsController::addDestination(const QString &hostPort)
{
    QString error;
    const auto destination = OscDestination::fromText(hostPort.trimmed(), &error);
    if (!destination) {
        setLastError(error);
        return false;
    }
    for (const OscDestination &known : std::as_const(m_fileDestinations)) {
        if (known.label() == destination->label()) {
            setLastError(tr("%1 is already a destination").arg(known.label()));
            return false;
        }
    }
    if (m_fileDestinations.size() >= OutputsConfig::MaxDestinations) {
        setLastError(tr("At most %1 destinations").arg(OutputsConfig::MaxDestinations));
        return false;
    }
    m_fileDestinations.append(*destination); // one given with --osc-out is now kept in the file
    setLastError(QString());
    applyDestinations();
    changed();
    return true;
}

void OutputsController::removeDestination(int row)
{
    if (row < 0 || row >= m_engine.osc().count())
        return;
    const QString label = m_engine.osc().destination(row).config.label();
    const auto same = [&](const OscDestination &d) { return d.label() == label; };
    m_fileDestinations.removeIf(same);
    m_commandLineDestinations.removeIf(same);
    applyDestinations();
    changed();
}

void OutputsController::setDestinationOption(int row, const QString &option, bool on)
{
    if (row < 0 || row >= m_engine.osc().count())
        return;
    const QString label = m_engine.osc().destination(row).config.label();
    for (QList<OscDestination> *list : {&m_fileDestinations, &m_commandLineDestinations}) {
        for (OscDestination &d : *list) {
            if (d.label() != label)
                continue;
            if (option == u"defaultScheme")
                d.defaultScheme = on;
            else if (option == u"mappings")
                d.mappings = on;
            else if (option == u"bundles")
                d.bundles = on;
            else
                return;
            applyDestinations();
            changed();
            return;
        }
    }
}

bool OutputsController::enableMidi(const QString &port)
{
    m_engine.setMidiSink(m_midiFactory(port.trimmed()), port.trimmed());
    Q_EMIT midiChanged();
    changed();
    return midiOpen();
}

void OutputsController::disableMidi()
{
    m_engine.closeMidi();
    Q_EMIT midiChanged();
    changed();
}

QStringList OutputsController::midiPorts()
{
    QString error;
    const QStringList ports = m_midiPorts(&error);
    if (!error.isEmpty())
        setLastError(error);
    return ports;
}

bool OutputsController::listenOscIn(int port)
{
    if (port < 0 || port > 65535) {
        setLastError(tr("OSC in: %1 is not a port number (0-65535)").arg(port));
        return false;
    }
    const bool ok = m_oscIn->listen(quint16(port));
    if (ok && m_settings)
        m_settings->setValue(settingsOscInKey(), int(m_oscIn->port())); // the port it got, if 0 was asked
    setLastError(ok ? QString() : m_oscIn->statusText());
    Q_EMIT oscInChanged();
    if (ok)
        Q_EMIT info(QStringLiteral("osc-in"), tr("OSC in: %1").arg(m_oscIn->statusText()));
    return ok;
}

void OutputsController::stopOscIn()
{
    m_oscIn->close();
    if (m_settings)
        m_settings->setValue(settingsOscInKey(), -1);
    Q_EMIT oscInChanged();
}

} // namespace GroupLoop
