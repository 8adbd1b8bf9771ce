#include "mappingengine.h"

#include <algorithm>
#include <cmath>

namespace GroupLoop {

namespace {
bool inScope(const Mapping &mapping, const DeviceSample &device)
{
    switch (mapping.scope) {
    case Mapping::Scope::Device:
        return device.id == mapping.device;
    case Mapping::Scope::Selection:
        return device.selected;
    case Mapping::Scope::All:
        break;
    }
    return true;
}
} // namespace

void MappingEngine::setMappings(const QList<Mapping> &mappings)
{
    m_mappings.clear();
    m_mappings.reserve(size_t(mappings.size()));
    for (const Mapping &mapping : mappings) {
        Compiled compiled;
        compiled.mapping = mapping;
        compiled.stats.error = mapping.validate();
        if (compiled.stats.error.isEmpty()) {
            // validate() parsed these already; here they are kept for expansion.
            if (mapping.target == Mapping::Target::Osc) {
                compiled.address = AddressTemplate::parse(mapping.address, nullptr);
            } else {
                compiled.channel = NumberTemplate::parse(mapping.channel, nullptr);
                compiled.number = NumberTemplate::parse(mapping.number, nullptr);
            }
            compiled.runs = mapping.enabled;
        }
        m_mappings.push_back(std::move(compiled));
    }
}

QList<Mapping> MappingEngine::mappings() const
{
    QList<Mapping> out;
    out.reserve(qsizetype(m_mappings.size()));
    for (const Compiled &compiled : m_mappings)
        out.append(compiled.mapping);
    return out;
}

void MappingEngine::process(const OutputSnapshot &snapshot, OutputWriter &writer)
{
    ++m_tick;
    for (Compiled &compiled : m_mappings) {
        if (!compiled.runs)
            continue;
        if (MappingSources::isRoomLevel(compiled.mapping.source))
            processRoom(compiled, snapshot, writer);
        else
            processDevices(compiled, snapshot, writer);
    }
}

void MappingEngine::processRoom(Compiled &compiled, const OutputSnapshot &snapshot, OutputWriter &writer)
{
    if (!compiled.room.valid && !expand(compiled, compiled.room, 0, true))
        return;
    int count = 0;
    double motion = 0.0;
    for (const DeviceSample &device : snapshot.devices) {
        if (!inScope(compiled.mapping, device))
            continue;
        ++count;
        motion += MappingSources::motion(device.frame);
    }
    compiled.stats.outputs = 1;
    const double raw = compiled.mapping.source == MappingSource::DeviceCount
        ? double(count)
        : (count > 0 ? motion / count : 0.0);
    continuous(compiled, compiled.room, raw, snapshot.atMs, writer, 0, true);
}

void MappingEngine::processDevices(Compiled &compiled, const OutputSnapshot &snapshot, OutputWriter &writer)
{
    const Mapping &mapping = compiled.mapping;
    // First who is in scope, so the slots of devices that left are free before newcomers
    // take one; then the values.
    int seen = 0;
    int known = 0;
    for (const DeviceSample &device : snapshot.devices) {
        if (!inScope(mapping, device))
            continue;
        ++seen;
        const auto it = compiled.outputs.find(device.id);
        if (it != compiled.outputs.end()) {
            it->seenTick = m_tick;
            ++known;
        }
    }
    if (compiled.outputs.size() > known)
        release(compiled);
    compiled.stats.outputs = seen;
    for (const DeviceSample &device : snapshot.devices) {
        if (!inScope(mapping, device))
            continue;
        Output &output = outputFor(compiled, device.id);
        if (!output.valid)
            continue;
        if (mapping.source == MappingSource::Tap) {
            if (device.taps > 0)
                tap(compiled, output, device.taps, writer, device.id);
        } else if (const auto raw = MappingSources::deviceValue(mapping.source, device)) {
            continuous(compiled, output, *raw, snapshot.atMs, writer, device.id, false);
        }
    }
}

MappingEngine::Output &MappingEngine::outputFor(Compiled &compiled, quint16 id)
{
    auto it = compiled.outputs.find(id);
    if (it != compiled.outputs.end())
        return *it;
    Output &output = compiled.outputs[id];
    output.seenTick = m_tick;
    if (compiled.freeSlots.empty()) {
        output.index = compiled.nextSlot++;
    } else {
        output.index = *compiled.freeSlots.begin();
        compiled.freeSlots.erase(compiled.freeSlots.begin());
    }
    expand(compiled, output, id, false);
    return output;
}

bool MappingEngine::expand(Compiled &compiled, Output &output, quint16 id, bool room)
{
    const Mapping &mapping = compiled.mapping;
    const QString who = room
        ? QStringLiteral("the room")
        : QStringLiteral("device %1 ({index} %2)").arg(SensorFrame::idToText(id)).arg(output.index);
    if (mapping.target == Mapping::Target::Osc) {
        output.address = compiled.address->expand(id, output.index);
        output.valid = true;
        return true;
    }
    const qint64 channel = compiled.channel->evaluate(output.index);
    const qint64 number = compiled.number->evaluate(output.index);
    const QString numberName
        = mapping.target == Mapping::Target::MidiCc ? QStringLiteral("CC number") : QStringLiteral("note");
    if (channel < 1 || channel > 16) {
        compiled.stats.error = QStringLiteral("channel %1 for %2 is outside 1..16").arg(channel).arg(who);
    } else if (number < 0 || number > 127) {
        compiled.stats.error
            = QStringLiteral("%1 %2 for %3 is outside 0..127").arg(numberName).arg(number).arg(who);
    } else {
        output.channel = int(channel) - 1;
        output.number = int(number);
        output.valid = true;
    }
    return output.valid;
}

void MappingEngine::release(Compiled &compiled)
{
    for (auto it = compiled.outputs.begin(); it != compiled.outputs.end();) {
        if (it->seenTick == m_tick) {
            ++it;
            continue;
        }
        compiled.freeSlots.insert(it->index);
        it = compiled.outputs.erase(it);
    }
}

void MappingEngine::continuous(Compiled &compiled, Output &output, double raw, qint64 nowMs,
                               OutputWriter &writer, quint16 id, bool room)
{
    const Mapping &mapping = compiled.mapping;
    const double t = mapping.normalize(raw);
    output.smoothed
        = output.hasSmoothed ? output.smoothed * mapping.smoothing + t * (1.0 - mapping.smoothing) : t;
    output.hasSmoothed = true;
    double value = mapping.quantize(mapping.toOutput(output.smoothed));
    if (mapping.target == Mapping::Target::Osc && mapping.oscType == 'f')
        value = double(float(value)); // what goes on the wire, so a settled value compares equal
    // Rate limit: a generic cell rate algorithm with half an interval of tolerance, so a tick
    // that comes a little early is not held back a whole tick; over time at most maxRateHz.
    const double intervalMs = mapping.maxRateHz > 0.0 ? 1000.0 / mapping.maxRateHz : 0.0;
    if (output.hasSent) {
        if (std::abs(value - output.lastSent) <= mapping.deadband)
            return;
        if (intervalMs > 0.0 && double(nowMs) < output.rateDueMs - intervalMs / 2)
            return;
    }
    output.rateDueMs = std::max(output.rateDueMs, double(nowMs)) + intervalMs;
    send(compiled, output, value, writer);
    output.hasSent = true;
    output.lastSent = value;
    note(compiled, 1, value, output.smoothed, id, room);
}

void MappingEngine::tap(Compiled &compiled, const Output &output, int taps, OutputWriter &writer, quint16 id)
{
    const Mapping &mapping = compiled.mapping;
    const double normalized = mapping.normalize(1.0);
    const double value = mapping.quantize(mapping.toOutput(normalized));
    const int fired = std::min(taps, int(Mapping::MaxTapsPerTick));
    for (int i = 0; i < fired; ++i)
        send(compiled, output, value, writer);
    note(compiled, fired, value, normalized, id, false);
}

void MappingEngine::send(const Compiled &compiled, const Output &output, double value, OutputWriter &writer)
{
    const Mapping &mapping = compiled.mapping;
    switch (mapping.target) {
    case Mapping::Target::Osc:
        writer.oscValue(output.address, mapping.oscType, value);
        break;
    case Mapping::Target::MidiCc:
        writer.midiControl(output.channel, output.number, int(value));
        break;
    case Mapping::Target::MidiNote:
        writer.midiNote(output.channel, output.number, mapping.velocity, mapping.durationMs);
        break;
    }
}

void MappingEngine::note(Compiled &compiled, int values, double value, double normalized, quint16 id,
                         bool room)
{
    Stats &stats = compiled.stats;
    stats.sent += quint64(values);
    stats.hasValue = true;
    stats.lastValue = value;
    stats.lastNormalized = normalized;
    stats.lastIsRoom = room;
    stats.lastDevice = id;
}

std::optional<double> MappingEngine::lastValue(int mapping, quint16 device) const
{
    const Compiled &compiled = m_mappings[size_t(mapping)];
    const Output *output = MappingSources::isRoomLevel(compiled.mapping.source) ? &compiled.room : nullptr;
    if (!output) {
        const auto it = compiled.outputs.constFind(device);
        if (it == compiled.outputs.constEnd())
            return std::nullopt;
        output = &*it;
    }
    if (!output->hasSent)
        return std::nullopt;
    return output->lastSent;
}

int MappingEngine::slotOf(int mapping, quint16 device) const
{
    const Compiled &compiled = m_mappings[size_t(mapping)];
    const auto it = compiled.outputs.constFind(device);
    return it == compiled.outputs.constEnd() ? -1 : it->index;
}

} // namespace GroupLoop
