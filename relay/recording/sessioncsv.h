// SessionCsv: a recording's frames as decoded values, for analysis in a spreadsheet or
// pandas: time_s,id,ax_g,ay_g,az_g,nw_dbm,ne_dbm,se_dbm,sw_dbm,tap.
#pragma once

#include "sessionformat.h"

namespace GroupLoop {
class SessionStream;
}

namespace GroupLoop::SessionCsv {

QByteArray headerLine();
void appendRow(QByteArray &out, const SessionFrame &frame);
// Writes the whole recording; false with a reason when the file cannot be written.
bool write(const SessionRecording &recording, const QString &path, QString *error);
// Streams the rest of a session (every part) to path, in bounded memory; frames gets the count.
bool write(SessionStream &stream, const QString &path, QString *error, qint64 *frames = nullptr);

} // namespace GroupLoop::SessionCsv
