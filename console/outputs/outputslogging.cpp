#include "outputslogging.h"

namespace GroupLoop {
Q_LOGGING_CATEGORY(lcOutputs, "grouploop.outputs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutputsOscIn, "grouploop.outputs.oscin", QtInfoMsg)
} // namespace GroupLoop
