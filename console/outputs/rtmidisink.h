// RtMidiSink: MIDI out through RtMidi (Debian librtmidi-dev). With no port name it opens a
// virtual output port "GroupLoop" that synths and DAWs connect to (ALSA sequencer on Linux,
// CoreMIDI on macOS); with a name, the first existing output port whose name contains it.
// RtMidi reports failures by throwing; every call here catches, so a machine without a MIDI
// system gets a status line ("no MIDI system: /dev/snd/seq missing"), never a crash.
#pragma once

#include "midisink.h"

#include <QStringList>

#include <memory>

class RtMidiOut;

namespace GroupLoop {

class RtMidiSink : public MidiSink
{
public:
    static QString virtualPortName() { return QStringLiteral("GroupLoop"); }

    explicit RtMidiSink(const QString &portName = QString());
    ~RtMidiSink() override;

    bool isOpen() const override { return m_open; }
    QString statusText() const override { return m_status; }
    bool send(const quint8 *bytes, int size, QString *error) override;

    // Whether this machine has a MIDI system RtMidi can open; if not, *why says so.
    static bool systemAvailable(QString *why = nullptr);
    // The output ports there are now (for the console's port list); empty with *error on failure.
    static QStringList availablePorts(QString *error = nullptr);

private:
    void open(const QString &portName);
    static void onError(int type, const std::string &text, void *self);

    std::unique_ptr<RtMidiOut> m_out;
    bool m_open = false;
    QString m_status;
    QString m_callbackError; // set by RtMidi's error callback during a call
};

} // namespace GroupLoop
