// MIDI: the mapping -> bytes layer against a fake sink (always), and RtMidi's virtual port
// where the machine has an ALSA sequencer (/dev/snd/seq), skipped with the reason where not.
#include "fakemidisink.h"
#include "midioutput.h"
#include "outputsengine.h"
#include "rtmidisink.h"

#include <RtMidi.h>

#include <QSignalSpy>
#include <QTest>

using namespace GroupLoop;
using namespace GroupLoop::Test;

namespace {
DeviceSample device(quint16 id, double ay, int taps = 0)
{
    SensorFrame frame;
    frame.id = id;
    frame.ay = SensorFrame::accelToByte(ay);
    DeviceSample sample = DeviceSample::fromFrame(frame);
    sample.taps = taps;
    return sample;
}
} // namespace

class TestMidiOutput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void controlChangeBytes();
    void noteOnThenOffAfterTheDuration();
    void retriggerReleasesFirst();
    void notesAreReleasedWhenTheSinkGoes();
    void theTimerReleasesNotes();
    void failuresAreCountedAndReported();
    void mappingsToMidiBytes();
    void noSinkIsOff();
    void rtMidiVirtualPort();
    void rtMidiUnknownPortIsAStatus();
};

void TestMidiOutput::controlChangeBytes()
{
    auto log = std::make_shared<MidiLog>();
    MidiOutput output;
    output.setSink(std::make_unique<FakeMidiSink>(log));
    output.control(0, 20, 64);
    output.control(15, 127, 200); // value clamped to 127
    QCOMPARE(log->messages, (QList<QByteArray> {midi(0xb0, 20, 64), midi(0xbf, 127, 127)}));
    QCOMPARE(output.messagesSent(), quint64(2));
}

void TestMidiOutput::noteOnThenOffAfterTheDuration()
{
    auto log = std::make_shared<MidiLog>();
    qint64 now = 1000;
    MidiOutput output;
    output.setClock([&now] { return now; });
    output.setSink(std::make_unique<FakeMidiSink>(log));
    output.note(9, 36, 100, 150);
    QCOMPARE(log->messages, QList<QByteArray> {midi(0x99, 36, 100)});
    QCOMPARE(output.soundingNotes(), 1);
    now = 1149;
    output.releaseDue();
    QCOMPARE(log->messages.size(), 1);
    now = 1150;
    output.releaseDue();
    QCOMPARE(log->messages, (QList<QByteArray> {midi(0x99, 36, 100), midi(0x89, 36, 0)}));
    QCOMPARE(output.soundingNotes(), 0);
}

void TestMidiOutput::retriggerReleasesFirst()
{
    auto log = std::make_shared<MidiLog>();
    qint64 now = 0;
    MidiOutput output;
    output.setClock([&now] { return now; });
    output.setSink(std::make_unique<FakeMidiSink>(log));
    output.note(0, 60, 90, 500);
    now = 100;
    output.note(0, 60, 80, 500);
    output.note(0, 61, 80, 500);
    QCOMPARE(
        log->messages,
        (QList<QByteArray> {midi(0x90, 60, 90), midi(0x80, 60, 0), midi(0x90, 60, 80), midi(0x90, 61, 80)}));
    QCOMPARE(output.soundingNotes(), 2);
    now = 599;
    output.releaseDue(); // the first 60 was released already; the second is due at 600
    QCOMPARE(log->messages.size(), 4);
    now = 600;
    output.releaseDue();
    QCOMPARE(log->messages.mid(4), (QList<QByteArray> {midi(0x80, 60, 0), midi(0x80, 61, 0)}));
}

void TestMidiOutput::notesAreReleasedWhenTheSinkGoes()
{
    auto first = std::make_shared<MidiLog>();
    auto second = std::make_shared<MidiLog>();
    MidiOutput output;
    output.setSink(std::make_unique<FakeMidiSink>(first));
    output.note(2, 40, 100, 10000);
    output.setSink(std::make_unique<FakeMidiSink>(second));
    QCOMPARE(first->messages, (QList<QByteArray> {midi(0x92, 40, 100), midi(0x82, 40, 0)}));
    QVERIFY(second->messages.isEmpty());
    QCOMPARE(output.soundingNotes(), 0);
}

void TestMidiOutput::theTimerReleasesNotes()
{
    auto log = std::make_shared<MidiLog>();
    MidiOutput output;
    output.setSink(std::make_unique<FakeMidiSink>(log));
    output.note(0, 50, 100, 30);
    QTRY_COMPARE_WITH_TIMEOUT(log->messages.size(), 2, 10000);
    QCOMPARE(log->messages[1], midi(0x80, 50, 0));
}

void TestMidiOutput::failuresAreCountedAndReported()
{
    auto log = std::make_shared<MidiLog>();
    MidiOutput output;
    output.setSink(std::make_unique<FakeMidiSink>(log));
    QSignalSpy status(&output, &MidiOutput::statusChanged);
    log->failing = true;
    output.control(0, 1, 1);
    output.control(0, 1, 2);
    QCOMPARE(output.failures(), quint64(2));
    QCOMPARE(output.lastError(), QStringLiteral("the fake port is failing"));
    QCOMPARE(output.statusText(), QStringLiteral("fake port; error: the fake port is failing"));
    QCOMPARE(status.size(), 1); // once, not per message
    log->failing = false;
    output.control(0, 1, 3);
    QVERIFY(output.lastError().isEmpty());
    QCOMPARE(status.size(), 2);
}

void TestMidiOutput::mappingsToMidiBytes()
{
    Mapping tilt;
    tilt.source = MappingSource::Ay;
    tilt.inMin = -1.0;
    tilt.inMax = 1.0;
    tilt.outMax = 127.0;
    tilt.target = Mapping::Target::MidiCc;
    tilt.channel = QStringLiteral("2");
    tilt.number = QStringLiteral("{index}+20");
    Mapping tap;
    tap.source = MappingSource::Tap;
    tap.inMin = 0.0;
    tap.inMax = 1.0;
    tap.target = Mapping::Target::MidiNote;
    tap.channel = QStringLiteral("10");
    tap.number = QStringLiteral("{index}+36");
    tap.velocity = 120;
    tap.durationMs = 100;

    auto log = std::make_shared<MidiLog>();
    OutputsEngine engine;
    qint64 now = 0;
    engine.midi().setClock([&now] { return now; });
    engine.setMidiSink(std::make_unique<FakeMidiSink>(log));
    engine.setMappings({tilt, tap});
    // ay = +1 g reads 0.996 g (byte 191): CC 127; -1 g (byte 64): CC 0 (rounded from 0.25).
    engine.process(OutputSnapshot {0, {device(0x0001, 1.0), device(0x0002, -1.0, 1)}});
    QCOMPARE(log->messages,
             (QList<QByteArray> {midi(0xb1, 20, 127), midi(0xb1, 21, 0), midi(0x99, 37, 120)}));
    // Nothing changed: no CC again; the tap's note ends 100 ms later.
    now = 100;
    engine.process(OutputSnapshot {50, {device(0x0001, 1.0), device(0x0002, -1.0)}});
    engine.midi().releaseDue();
    QCOMPARE(log->messages.mid(3), QList<QByteArray> {midi(0x89, 37, 0)});
    QCOMPARE(engine.stats().midiMessages, quint64(3));
    QVERIFY(engine.config().midiEnabled);
}

void TestMidiOutput::noSinkIsOff()
{
    MidiOutput output;
    QVERIFY(!output.isOpen());
    QCOMPARE(output.statusText(), QStringLiteral("off"));
    output.control(0, 1, 2); // nowhere to go: nothing happens
    output.note(0, 60, 100, 10);
    QCOMPARE(output.messagesSent(), quint64(0));
    QCOMPARE(output.soundingNotes(), 0);
}

void TestMidiOutput::rtMidiVirtualPort()
{
    QString why;
    if (!RtMidiSink::systemAvailable(&why)) {
        // No sequencer: opening says so instead of crashing or printing ALSA's errors.
        RtMidiSink sink;
        QVERIFY(!sink.isOpen());
        QCOMPARE(sink.statusText(), why);
        QVERIFY(why.startsWith(QStringLiteral("no MIDI system: /dev/snd/seq missing")));
        QString error;
        const quint8 bytes[3] = {0x90, 60, 100};
        QVERIFY(!sink.send(bytes, 3, &error));
        QCOMPARE(error, why);
        QVERIFY(RtMidiSink::availablePorts(&error).isEmpty());
        QCOMPARE(error, why);
        OutputsEngine engine;
        QVERIFY(!engine.openMidi());
        QCOMPARE(engine.midi().statusText(), why);
        QSKIP(qPrintable(why));
    }
    RtMidiSink sink;
    QVERIFY2(sink.isOpen(), qPrintable(sink.statusText()));
    QCOMPARE(sink.statusText(), QStringLiteral("virtual port GroupLoop"));
    // Another client sees the virtual port as a source, subscribes to it and gets our bytes.
    RtMidiIn in(RtMidi::LINUX_ALSA, "GroupLoop test");
    unsigned int port = in.getPortCount();
    for (unsigned int i = 0; i < in.getPortCount(); ++i) {
        if (QString::fromStdString(in.getPortName(i)).contains(QStringLiteral("GroupLoop")))
            port = i;
    }
    QVERIFY2(port < in.getPortCount(), "the virtual port GroupLoop is not listed as a MIDI source");
    in.openPort(port, "GroupLoop test in");
    QString error;
    const quint8 bytes[3] = {0xb0, 7, 100};
    QVERIFY2(sink.send(bytes, 3, &error), qPrintable(error));
    std::vector<unsigned char> received;
    QTRY_VERIFY_WITH_TIMEOUT((in.getMessage(&received), !received.empty()), 10000);
    QCOMPARE(received, (std::vector<unsigned char> {0xb0, 7, 100}));
}

void TestMidiOutput::rtMidiUnknownPortIsAStatus()
{
    QString why;
    if (!RtMidiSink::systemAvailable(&why))
        QSKIP(qPrintable(why));
    RtMidiSink sink(QStringLiteral("no such port 4711"));
    QVERIFY(!sink.isOpen());
    QVERIFY2(sink.statusText().startsWith(QStringLiteral("no MIDI output port named \"no such port 4711\"")),
             qPrintable(sink.statusText()));
}

QTEST_GUILESS_MAIN(TestMidiOutput)
#include "tst_midioutput.moc"
