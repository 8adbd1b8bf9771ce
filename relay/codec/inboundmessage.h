// InboundMessage: what a text message from any client means, tested in the order the
// original relay tested it (ping, id:, s, cmd:, then device data). auth:<token> is ours; the
// original would have taken it for a line of device data that is not a frame.
#pragma once

#include "sensorframe.h"

#include <QString>
#include <QStringView>

namespace GroupLoop {

// Python str semantics the original relay relied on (strip(), splitlines()).
namespace PyText {
bool isSpace(char16_t c);
bool isLineBreak(char16_t c);
QStringView strip(QStringView text);
} // namespace PyText

struct InboundMessage
{
    enum class Kind { Ping, Identify, Subscribe, Command, Authenticate, Data };

    Kind kind = Kind::Data;
    QString label; // Identify: the stripped label, empty means id:error
    bool commandWellFormed = false; // Command: false means cmd:error:invalid_format
    QString target; // Command: lowercased (ours; the original compared case-sensitively)
    QString command;
    QString params; // everything after the second colon, colons included
    QString token; // Authenticate: everything after "auth:", as sent

    static InboundMessage classify(const QString &text);
};

// Calls onFrame(quint16 id, QStringView line) for each line of device data that is a
// sensor frame (after Python-style strip and splitlines); other lines are skipped.
// Returns the number of lines that were not frames.
template<typename OnFrame> int forEachFrameLine(QStringView data, OnFrame &&onFrame)
{
    int junk = 0;
    const qsizetype size = data.size();
    qsizetype start = 0;
    while (start <= size) {
        qsizetype end = start;
        while (end < size && !PyText::isLineBreak(data[end].unicode()))
            ++end;
        const QStringView line = PyText::strip(data.sliced(start, end - start));
        if (line.size() == SensorFrame::TextLength && SensorFrame::isFrameText(line)) {
            onFrame(SensorFrame::idOfFrameText(line), line);
        } else if (!line.isEmpty()) {
            ++junk;
        }
        if (end < size && data[end] == u'\r' && end + 1 < size && data[end + 1] == u'\n')
            ++end; // \r\n is one line break, as in Python
        start = end + 1;
    }
    return junk;
}

} // namespace GroupLoop
