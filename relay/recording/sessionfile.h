// Session files (docs/recording.md): the recording library's one include for programs that
// record, replay or export sessions.
#pragma once

#include "sessioncsv.h" // decoded values as CSV
#include "sessionformat.h" // SessionHeader, SessionFrame, SessionCommand, SessionRecording
#include "sessionreader.h" // read a plain or gzip file
#include "sessionwriter.h" // append records, written and compressed in a thread
