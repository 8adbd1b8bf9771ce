#include "outputsengine.h"

#include "outputslogging.h"
#include "rtmidisink.h"

#include <vector>

namespace GroupLoop {

// Collects a tick's mapped OSC values (packed afterwards, once per packing) and plays MIDI.
class OutputsEngine::Writer : public OutputWriter
{
public:
    struct OscValue
    {
        QByteArray address;
        char type;
        double value;
    };

    explicit Writer(MidiOutput *midi)
        : m_midi(midi)
    {
    }
    void oscValue(const QByteArray &address, char type, double value) override
    {
        if (collectOsc)
            osc.push_back({address, type, value});
    }
    void midiControl(int channel, int number, int value) override
    {
        ++midiMessages;
        m_midi->control(channel, number, value);
    }
    void midiNote(int channel, int note, int velocity, int durationMs) override
    {
        ++midiMessages;
        m_midi->note(channel, note, velocity, durationMs);
    }

    bool collectOsc = false;
    std::vector<OscValue> osc;
    quint64 midiMessages = 0;

private:
    MidiOutput *m_midi;
};

OutputsEngine::OutputsEngine(QObject *parent)
    : QObject(parent)
    , m_writer(std::make_unique<Writer>(&m_midi))
{
    connect(&m_osc, &OscSender::statusChanged, this, [this](int index) {
        const OscSender::Destination &destination = m_osc.destination(index);
        if (destination.status == OscSender::Status::Error)
            Q_EMIT problem(
                QStringLiteral("OSC %1: %2").arg(destination.config.label(), destination.statusText));
        Q_EMIT statusChanged();
    });
    connect(&m_osc, &OscSender::destinationsChanged, this, &OutputsEngine::statusChanged);
    connect(&m_midi, &MidiOutput::statusChanged, this, [this] {
        if (m_midi.sink() && (!m_midi.isOpen() || !m_midi.lastError().isEmpty()))
            Q_EMIT problem(QStringLiteral("MIDI: ") + m_midi.statusText());
        Q_EMIT statusChanged();
    });
    m_rateClock.start();
}

OutputsEngine::~OutputsEngine() = default;

void OutputsEngine::setConfig(const OutputsConfig &config)
{
    setMaxDatagramBytes(config.maxDatagramBytes);
    setDestinations(config.destinations);
    setMappings(config.mappings);
    if (!config.midiEnabled)
        closeMidi();
    else if (!m_midi.sink() || config.midiPort != m_midiPort)
        openMidi(config.midiPort);
}

OutputsConfig OutputsEngine::config() const
{
    OutputsConfig config;
    config.destinations = m_osc.configs();
    config.maxDatagramBytes = m_maxDatagramBytes;
    config.midiEnabled = midiEnabled();
    config.midiPort = m_midiPort;
    config.mappings = m_mappings.mappings();
    return config;
}

void OutputsEngine::setMappings(const QList<Mapping> &mappings)
{
    m_mappings.setMappings(mappings);
    m_reportedErrors = QList<QString>(mappings.size());
    reportMappingProblems();
    Q_EMIT mappingsChanged();
}

void OutputsEngine::setDestinations(const QList<OscDestination> &destinations)
{
    m_osc.setDestinations(destinations);
}

void OutputsEngine::setMaxDatagramBytes(int bytes)
{
    m_maxDatagramBytes = qBound(Osc::DatagramPacker::MinMaxBytes, bytes, Osc::DatagramPacker::MaxMaxBytes);
}

bool OutputsEngine::openMidi(const QString &portName)
{
    auto sink = std::make_unique<RtMidiSink>(portName);
    const bool open = sink->isOpen();
    setMidiSink(std::move(sink), portName);
    return open;
}

void OutputsEngine::closeMidi()
{
    if (!m_midi.sink())
        return;
    m_midi.setSink(nullptr);
    m_midiPort.clear();
}

void OutputsEngine::setMidiSink(std::unique_ptr<MidiSink> sink, const QString &portName)
{
    m_midiPort = portName;
    m_midi.setSink(std::move(sink));
}

int OutputsEngine::pack(bool bundled, const OutputSnapshot &snapshot, OscTickDatagrams *out)
{
    Osc::DatagramPacker packer(m_maxDatagramBytes, bundled);
    int messages = 0;
    if (m_osc.wantsDefaultScheme()) {
        messages += m_defaultScheme.write(snapshot, packer);
        out->defaultScheme = packer.take();
    }
    if (!m_writer->osc.empty()) {
        for (const Writer::OscValue &value : m_writer->osc) {
            Osc::Writer &writer = packer.beginMessage(value.address, value.type == 'i' ? "i" : "f");
            if (value.type == 'i')
                writer.int32(qint32(qBound(-2147483648.0, value.value, 2147483647.0)));
            else
                writer.float32(float(value.value));
            packer.endMessage();
        }
        messages += packer.messageCount();
        out->mapped = packer.take();
    }
    return messages;
}

void OutputsEngine::process(const OutputSnapshot &snapshot)
{
    QElapsedTimer timer;
    timer.start();
    m_writer->collectOsc = m_osc.wantsMapped();
    m_writer->osc.clear();
    m_writer->midiMessages = 0;
    m_mappings.process(snapshot, *m_writer);

    // Messages are counted once a tick, whichever packings and destinations they go to.
    int messages = 0;
    OscTickDatagrams bundled;
    OscTickDatagrams plain;
    if (m_osc.wantsBundled())
        messages = pack(true, snapshot, &bundled);
    if (m_osc.wantsPlain()) {
        const int packed = pack(false, snapshot, &plain);
        messages = std::max(messages, packed);
    }
    const int datagrams = m_osc.send(bundled, plain);

    ++m_stats.ticks;
    m_stats.oscMessages += quint64(messages);
    m_stats.oscDatagrams += quint64(datagrams);
    m_stats.midiMessages += m_writer->midiMessages;
    m_rateMessages += quint64(messages);
    m_rateDatagrams += quint64(datagrams);
    m_rateMidi += m_writer->midiMessages;
    reportMappingProblems();
    updateRates(timer.nsecsElapsed());
}

void OutputsEngine::updateRates(qint64 elapsedNs)
{
    m_stats.lastTickNs = elapsedNs;
    m_windowMaxNs = std::max(m_windowMaxNs, elapsedNs);
    const qint64 windowMs = m_rateClock.elapsed();
    if (windowMs < 1000)
        return;
    const double seconds = double(windowMs) / 1000.0;
    m_stats.oscMessagesPerSecond = double(m_rateMessages) / seconds;
    m_stats.oscDatagramsPerSecond = double(m_rateDatagrams) / seconds;
    m_stats.midiMessagesPerSecond = double(m_rateMidi) / seconds;
    m_stats.maxTickNs = m_windowMaxNs;
    m_rateMessages = m_rateDatagrams = m_rateMidi = 0;
    m_windowMaxNs = 0;
    m_rateClock.restart();
    Q_EMIT statsChanged();
}

void OutputsEngine::reportMappingProblems()
{
    for (int i = 0; i < m_mappings.count() && i < m_reportedErrors.size(); ++i) {
        const QString &error = m_mappings.stats(i).error;
        if (error.isEmpty() || error == m_reportedErrors[i])
            continue;
        m_reportedErrors[i] = error;
        const QString name = m_mappings.mappings().value(i).name;
        const QString text = QStringLiteral("mapping %1%2: %3")
                                 .arg(i + 1)
                                 .arg(name.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(name), error);
        qCWarning(lcOutputs, "%s", qPrintable(text));
        Q_EMIT problem(text);
    }
}

} // namespace GroupLoop
