#include "midioutput.h"

#include "clock.h"
#include "outputslogging.h"

#include <QtGlobal>

#include <algorithm>

namespace GroupLoop {

MidiOutput::MidiOutput(QObject *parent)
    : QObject(parent)
    , m_clock(Clock::nowMs)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &MidiOutput::releaseDue);
}

MidiOutput::~MidiOutput()
{
    releaseAll();
}

void MidiOutput::setSink(std::unique_ptr<MidiSink> sink)
{
    releaseAll();
    m_sink = std::move(sink);
    m_lastError.clear();
    if (m_sink && !m_sink->isOpen())
        qCWarning(lcOutputs, "MIDI: %s", qPrintable(m_sink->statusText()));
    Q_EMIT statusChanged();
}

QString MidiOutput::statusText() const
{
    if (!m_sink)
        return QStringLiteral("off");
    if (m_sink->isOpen() && !m_lastError.isEmpty())
        return m_sink->statusText() + QStringLiteral("; error: ") + m_lastError;
    return m_sink->statusText();
}

bool MidiOutput::send(quint8 status, quint8 data1, quint8 data2)
{
    if (!isOpen())
        return false;
    const quint8 bytes[3] = {status, quint8(data1 & 0x7f), quint8(data2 & 0x7f)};
    QString error;
    if (!m_sink->send(bytes, 3, &error)) {
        ++m_failures;
        if (error != m_lastError) {
            m_lastError = error;
            qCWarning(lcOutputs, "MIDI: %s", qPrintable(error));
            Q_EMIT statusChanged();
        }
        return false;
    }
    ++m_sent;
    if (!m_lastError.isEmpty()) {
        m_lastError.clear();
        Q_EMIT statusChanged();
    }
    return true;
}

void MidiOutput::control(int channel, int number, int value)
{
    send(quint8(0xb0 | (channel & 0x0f)), quint8(number), quint8(std::clamp(value, 0, 127)));
}

void MidiOutput::note(int channel, int note, int velocity, int durationMs)
{
    if (!isOpen())
        return;
    const quint8 ch = quint8(channel & 0x0f);
    const quint8 key = quint8(note & 0x7f);
    const auto same = std::find_if(m_sounding.begin(), m_sounding.end(),
                                   [&](const Sounding &s) { return s.channel == ch && s.note == key; });
    if (same != m_sounding.end()) {
        const Sounding retriggered = *same;
        m_sounding.erase(same);
        noteOff(retriggered);
    }
    if (send(quint8(0x90 | ch), key, quint8(std::clamp(velocity, 1, 127))))
        m_sounding.push_back({m_clock() + std::max(durationMs, 1), ch, key});
    schedule();
}

void MidiOutput::noteOff(const Sounding &sounding)
{
    send(quint8(0x80 | sounding.channel), sounding.note, 0);
}

void MidiOutput::releaseDue()
{
    const qint64 now = m_clock();
    std::vector<Sounding> due;
    m_sounding.erase(std::remove_if(m_sounding.begin(), m_sounding.end(),
                                    [&](const Sounding &s) {
                                        if (s.offAtMs > now)
                                            return false;
                                        due.push_back(s);
                                        return true;
                                    }),
                     m_sounding.end());
    std::sort(due.begin(), due.end(),
              [](const Sounding &a, const Sounding &b) { return a.offAtMs < b.offAtMs; });
    for (const Sounding &sounding : due)
        noteOff(sounding);
    schedule();
}

void MidiOutput::releaseAll()
{
    const std::vector<Sounding> all = std::exchange(m_sounding, {});
    for (const Sounding &sounding : all)
        noteOff(sounding);
    m_timer.stop();
}

void MidiOutput::schedule()
{
    if (m_sounding.empty()) {
        m_timer.stop();
        return;
    }
    const auto next
        = std::min_element(m_sounding.begin(), m_sounding.end(),
                           [](const Sounding &a, const Sounding &b) { return a.offAtMs < b.offAtMs; });
    m_timer.start(int(std::clamp<qint64>(next->offAtMs - m_clock(), 0, 60000)));
}

} // namespace GroupLoop
