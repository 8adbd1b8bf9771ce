// MidiSink: where MIDI bytes go. RtMidiSink (rtmidisink.h) talks to the system's MIDI (ALSA on
// Linux, CoreMIDI on macOS); tests use a fake that keeps the bytes (tests/outputs/fakemidisink.h).
#pragma once

#include <QString>

namespace GroupLoop {

class MidiSink
{
public:
    virtual ~MidiSink() = default;
    virtual bool isOpen() const = 0;
    // "virtual port GroupLoop", "port Midi Through Port-0", or why it is not open.
    virtual QString statusText() const = 0;
    // One complete message (note on/off, control change). False with *error when not sent.
    virtual bool send(const quint8 *bytes, int size, QString *error) = 0;
};

} // namespace GroupLoop
