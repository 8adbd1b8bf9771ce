// Monotonic milliseconds shared by the console's threads and its outputs, so frame
// timestamps taken while parsing compare directly with the store's refresh ticks.
#pragma once

#include <QtGlobal>

#include <chrono>

namespace GroupLoop::Clock {

inline qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace GroupLoop::Clock
