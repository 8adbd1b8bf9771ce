// Session files (docs/recording.md): the recording library's one include for programs that
// record, replay or export sessions.
#pragma once

#include "sessioncsv.h" // decoded values as CSV
#include "sessionformat.h" // SessionHeader, SessionFrame, SessionCommand, SessionRecording
#include "sessionindex.h" // positions, ids and counts of a whole session, for seeking
#include "sessionreader.h" // read a plain or gzip file whole (small files, tests)
#include "sessionstream.h" // read record by record, across rotated parts
#include "sessionwriter.h" // append records, written and compressed in a thread
