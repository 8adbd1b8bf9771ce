// A MidiSink that keeps every message it is given (in a log the test holds on to, since the
// MidiOutput owns the sink), and can be told to fail.
#pragma once

#include "midisink.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace GroupLoop::Test {

struct MidiLog
{
    QList<QByteArray> messages;
    bool failing = false;
};

class FakeMidiSink : public MidiSink
{
public:
    explicit FakeMidiSink(std::shared_ptr<MidiLog> log)
        : m_log(std::move(log))
    {
    }
    bool isOpen() const override { return true; }
    QString statusText() const override { return QStringLiteral("fake port"); }
    bool send(const quint8 *bytes, int size, QString *error) override
    {
        if (m_log->failing) {
            *error = QStringLiteral("the fake port is failing");
            return false;
        }
        m_log->messages.append(QByteArray(reinterpret_cast<const char *>(bytes), size));
        return true;
    }

private:
    std::shared_ptr<MidiLog> m_log;
};

inline QByteArray midi(int status, int data1, int data2)
{
    const char bytes[3] = {char(status), char(data1), char(data2)};
    return QByteArray(bytes, 3);
}

} // namespace GroupLoop::Test
