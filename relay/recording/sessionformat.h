// The session file format (docs/recording.md): line-based text, a versioned JSON header first,
// then one record per line with milliseconds since the session started:
//   <ms> f <frame> <frame> ...     frames of one fan-out pass
//   <ms> c {"target":...}          a command and the relay's reply
// This header holds what a session is; sessionreader.h reads one, sessionwriter.h writes one.
#pragma once

#include "sensorframe.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace GroupLoop {

struct SessionHeader
{
    static constexpr int CurrentVersion = 1;
    static QByteArray formatName() { return QByteArrayLiteral("grouploop-session"); }

    int version = CurrentVersion;
    QDateTime started; // wall time of the session's ms 0 (UTC)
    QString relay; // the relay the frames came through, as a URL
    int devices = 0; // devices known when this file was started
    QString source; // the program that recorded, "grouploop-relay 0.1.0"
    int part = 1; // rotation: 1 for the first file of a session
    qint64 offsetMs = 0; // session ms at which this part starts

    QByteArray toJson() const; // one line, no newline
    // Parses line 1; on failure returns false with a reason.
    static bool fromJson(QByteArrayView line, SessionHeader *header, QString *reason);
};

struct SessionFrame
{
    qint64 ms = 0;
    SensorFrame frame;
};

struct SessionCommand
{
    qint64 ms = 0;
    QString target; // a device id or "all"
    QString command;
    QString params;
    QString result; // the relay's reply without "cmd:result:" (success, sent_to_3_devices, failed, ...)
};

// A whole file read into memory: frames and commands in file order (times never decrease).
struct SessionRecording
{
    QString path;
    SessionHeader header;
    std::vector<SessionFrame> frames;
    std::vector<SessionCommand> commands;
    QString error; // why nothing could be read (missing file, no header); empty when readable
    QStringList problems; // "file:line: reason" for every line skipped; the rest was read
    int skippedLines = 0;

    bool isValid() const { return error.isEmpty(); }
    qint64 startMs() const { return header.offsetMs; }
    qint64 endMs() const; // time of the last record (startMs() when empty)
    QList<quint16> deviceIds() const; // in order of first appearance
};

} // namespace GroupLoop
