// An OutputWriter that keeps what the mapping engine sent, for assertions.
#pragma once

#include "mappingengine.h"

#include <QList>

namespace GroupLoop::Test {

struct SentValue
{
    enum Kind { Osc, Control, Note } kind = Osc;
    QByteArray address;
    char type = 'f';
    double value = 0.0;
    int channel = 0;
    int number = 0;
    int velocity = 0;
    int durationMs = 0;
};

class RecordingWriter : public OutputWriter
{
public:
    void oscValue(const QByteArray &address, char type, double value) override
    {
        sent.append({SentValue::Osc, address, type, value, 0, 0, 0, 0});
    }
    void midiControl(int channel, int number, int value) override
    {
        sent.append({SentValue::Control, {}, 0, double(value), channel, number, 0, 0});
    }
    void midiNote(int channel, int note, int velocity, int durationMs) override
    {
        sent.append({SentValue::Note, {}, 0, 0.0, channel, note, velocity, durationMs});
    }
    QList<SentValue> take() { return std::exchange(sent, {}); }

    QList<SentValue> sent;
};

} // namespace GroupLoop::Test
