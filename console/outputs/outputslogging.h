// Logging categories of the outputs library (QT_LOGGING_RULES="grouploop.outputs*=true").
#pragma once

#include <QLoggingCategory>

namespace GroupLoop {
Q_DECLARE_LOGGING_CATEGORY(lcOutputs) // destinations, MIDI port, mapping problems
Q_DECLARE_LOGGING_CATEGORY(lcOutputsOscIn) // show control: commands and refusals
} // namespace GroupLoop
