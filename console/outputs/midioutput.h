// MidiOutput: the mapping engine's MIDI values as bytes to a MidiSink. Control change is
// Bn cc value; a tap is Note On (9n note velocity) now and Note Off (8n note 0) after its
// duration, timed by a QTimer rather than the 20 Hz tick. A note retriggered while it still
// sounds is released first, so every Note On has exactly one Note Off.
#pragma once

#include "midisink.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace GroupLoop {

class MidiOutput : public QObject
{
    Q_OBJECT

public:
    explicit MidiOutput(QObject *parent = nullptr);
    ~MidiOutput() override;

    // Replaces the sink; notes still sounding on the old one are released there first.
    void setSink(std::unique_ptr<MidiSink> sink);
    MidiSink *sink() const { return m_sink.get(); }
    bool isOpen() const { return m_sink && m_sink->isOpen(); }
    QString statusText() const;
    // The clock for note durations (monotonic ms); tests set their own.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    // channel 0..15; number, value, note, velocity 0..127.
    void control(int channel, int number, int value);
    void note(int channel, int note, int velocity, int durationMs);
    // Sends the Note Offs that are due; the timer calls it, tests may too.
    void releaseDue();
    void releaseAll();

    int soundingNotes() const { return int(m_sounding.size()); }
    quint64 messagesSent() const { return m_sent; }
    quint64 failures() const { return m_failures; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void statusChanged(); // the sink changed, or sending started or stopped failing

private:
    struct Sounding
    {
        qint64 offAtMs;
        quint8 channel;
        quint8 note;
    };
    bool send(quint8 status, quint8 data1, quint8 data2);
    void noteOff(const Sounding &sounding);
    void schedule();

    std::unique_ptr<MidiSink> m_sink;
    std::function<qint64()> m_clock;
    std::vector<Sounding> m_sounding; // at most one per channel and note: 2,048
    QTimer m_timer;
    quint64 m_sent = 0;
    quint64 m_failures = 0;
    QString m_lastError;
};

} // namespace GroupLoop
