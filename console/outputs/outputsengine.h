// OutputsEngine: what the console (or a headless front end) owns to feed sound and visual
// tools. Each tick it takes the snapshot, runs the mappings, packs the default OSC scheme and
// the mapped OSC values into datagrams (once per packing the destinations need), sends them,
// and plays the mapped MIDI. All on the caller's thread, synchronously: nothing waits for the
// next tick, and a tick's cost is in stats() (docs/outputs.md, "Limits"; bench_outputs).
#pragma once

#include "defaultscheme.h"
#include "mappingengine.h"
#include "midioutput.h"
#include "oscsender.h"
#include "outputsconfig.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace GroupLoop {

class OutputsEngine : public QObject
{
    Q_OBJECT

public:
    struct Stats
    {
        quint64 ticks = 0;
        quint64 oscMessages = 0; // default scheme and mapped, counted once however many destinations
        quint64 oscDatagrams = 0; // sent, summed over destinations
        quint64 midiMessages = 0;
        double oscMessagesPerSecond = 0.0; // over the last whole second
        double oscDatagramsPerSecond = 0.0;
        double midiMessagesPerSecond = 0.0;
        qint64 lastTickNs = 0; // wall time process() took
        qint64 maxTickNs = 0; // the longest over the last whole second
    };

    explicit OutputsEngine(QObject *parent = nullptr);
    ~OutputsEngine() override;

    // The whole setup, as outputs files hold it. Opens or closes MIDI as the config says.
    void setConfig(const OutputsConfig &config);
    OutputsConfig config() const;

    void setMappings(const QList<Mapping> &mappings);
    void setDestinations(const QList<OscDestination> &destinations);
    void setMaxDatagramBytes(int bytes);
    int maxDatagramBytes() const { return m_maxDatagramBytes; }

    // MIDI through RtMidi: a virtual port "GroupLoop" (empty name) or an existing port.
    // False when it could not be opened; midi().statusText() says why.
    bool openMidi(const QString &portName = QString());
    void closeMidi();
    // Another sink (tests use a fake one); the MIDI config is "enabled" while one is set.
    void setMidiSink(std::unique_ptr<MidiSink> sink, const QString &portName = QString());
    bool midiEnabled() const { return m_midi.sink() != nullptr; }
    QString midiPort() const { return m_midiPort; }

    const MappingEngine &mappings() const { return m_mappings; }
    OscSender &osc() { return m_osc; }
    const OscSender &osc() const { return m_osc; }
    MidiOutput &midi() { return m_midi; }
    const MidiOutput &midi() const { return m_midi; }

    void process(const OutputSnapshot &snapshot);
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    void statsChanged(); // about once a second while ticks come
    void statusChanged(); // a destination's or the MIDI port's status, or the destination list
    void mappingsChanged();
    // For the console's log: a mapping that cannot expand for a device, a destination's error.
    void problem(const QString &text);

private:
    class Writer;
    int pack(bool bundled, const OutputSnapshot &snapshot, OscTickDatagrams *out);
    void updateRates(qint64 elapsedNs);
    void reportMappingProblems();

    MappingEngine m_mappings;
    DefaultScheme m_defaultScheme;
    OscSender m_osc;
    MidiOutput m_midi;
    QString m_midiPort;
    int m_maxDatagramBytes = Osc::DatagramPacker::DefaultMaxBytes;
    std::unique_ptr<Writer> m_writer;
    QList<QString> m_reportedErrors; // per mapping, so each problem is logged once
    Stats m_stats;
    QElapsedTimer m_rateClock;
    quint64 m_rateMessages = 0;
    quint64 m_rateDatagrams = 0;
    quint64 m_rateMidi = 0;
    qint64 m_windowMaxNs = 0;
};

} // namespace GroupLoop
