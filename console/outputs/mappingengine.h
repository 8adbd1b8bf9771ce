// MappingEngine: runs the mappings over each tick's snapshot and hands the values to send to
// an OutputWriter (OSC and MIDI in OutputsEngine, a recorder in tests). It keeps per mapping
// and device the transform state (smoothing, last value sent, rate limit) and the expanded
// target (address, channel, number), made once when the device enters the mapping's scope:
// {index} is the lowest slot free then, kept while the device stays in scope.
#pragma once

#include "mapping.h"
#include "outputsnapshot.h"
#include "outputtemplate.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <optional>
#include <set>
#include <vector>

namespace GroupLoop {

class OutputWriter
{
public:
    virtual ~OutputWriter() = default;
    // type 'f' or 'i'; value already quantized for 'i'.
    virtual void oscValue(const QByteArray &address, char type, double value) = 0;
    // channel 0..15, number and value 0..127.
    virtual void midiControl(int channel, int number, int value) = 0;
    virtual void midiNote(int channel, int note, int velocity, int durationMs) = 0;
};

class MappingEngine
{
public:
    struct Stats
    {
        quint64 sent = 0; // values handed to the writer since setMappings()
        int outputs = 0; // devices the mapping feeds now (1 for a room-level source)
        bool hasValue = false;
        double lastValue = 0.0; // the last value sent, in output units
        double lastNormalized = 0.0; // the same on 0..1, before the output range: for meters
        bool lastIsRoom = false;
        quint16 lastDevice = 0;
        QString error; // why the mapping does not run, or the last device it could not expand for
    };

    // Invalid mappings are kept, so the UI can show and fix them, but never run; their stats
    // say why. Every state (smoothing, slots, rate limits) starts afresh.
    void setMappings(const QList<Mapping> &mappings);
    QList<Mapping> mappings() const;
    int count() const { return int(m_mappings.size()); }

    void process(const OutputSnapshot &snapshot, OutputWriter &writer);

    const Stats &stats(int mapping) const { return m_mappings[size_t(mapping)].stats; }
    // The last value sent for a device (any device id for a room-level mapping).
    std::optional<double> lastValue(int mapping, quint16 device) const;
    // The {index} slot a device has in a mapping now, or -1.
    int slotOf(int mapping, quint16 device) const;

private:
    struct Output
    {
        int index = 0;
        bool valid = false;
        QByteArray address;
        int channel = 0; // 0..15
        int number = 0;
        bool hasSmoothed = false;
        double smoothed = 0.0;
        bool hasSent = false;
        double lastSent = 0.0;
        double rateDueMs = 0.0; // rate limit: when the next value is due (GCRA's theoretical arrival time)
        quint32 seenTick = 0;
    };
    struct Compiled
    {
        Mapping mapping;
        bool runs = false;
        std::optional<AddressTemplate> address;
        std::optional<NumberTemplate> channel;
        std::optional<NumberTemplate> number;
        QHash<quint16, Output> outputs;
        Output room;
        std::set<int> freeSlots;
        int nextSlot = 0;
        Stats stats;
    };

    void processRoom(Compiled &compiled, const OutputSnapshot &snapshot, OutputWriter &writer);
    void processDevices(Compiled &compiled, const OutputSnapshot &snapshot, OutputWriter &writer);
    Output &outputFor(Compiled &compiled, quint16 id);
    bool expand(Compiled &compiled, Output &output, quint16 id, bool room);
    void release(Compiled &compiled);
    void continuous(Compiled &compiled, Output &output, double raw, qint64 nowMs, OutputWriter &writer,
                    quint16 id, bool room);
    void tap(Compiled &compiled, const Output &output, int taps, OutputWriter &writer, quint16 id);
    void send(const Compiled &compiled, const Output &output, double value, OutputWriter &writer);
    static void note(Compiled &compiled, int values, double value, double normalized, quint16 id, bool room);

    std::vector<Compiled> m_mappings;
    quint32 m_tick = 0;
};

} // namespace GroupLoop
