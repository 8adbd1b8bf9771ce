// SessionReader: a session file (plain or gzip) read whole into a SessionRecording, for small
// files and tests; players stream instead (SessionStream, SessionIndex). Bad lines are skipped
// and named ("file:line: reason"); the rest is kept.
#pragma once

#include "sessionformat.h"

namespace GroupLoop {

class SessionReader
{
public:
    // Reads a plain or gzip file (detected by content). Bad lines are skipped and named in
    // problems; a file that is not a session at all sets error.
    static SessionRecording read(const QString &path);
    // Parses session text (tests, fuzzing). name is used in messages.
    static SessionRecording parse(const QByteArray &text, const QString &name);
};

} // namespace GroupLoop
