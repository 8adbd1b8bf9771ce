// Logging categories of the relay. Messages keep the original relay's tags ([CONNECT],
// [DISCONNECT], [DEVICE_DISCONNECT], [SEND], [BROADCAST], [COMMANDS], [ERROR]) for log scrapers.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRelay) // connections and devices
Q_DECLARE_LOGGING_CATEGORY(lcRelayCommands) // commands and the registry
Q_DECLARE_LOGGING_CATEGORY(lcRelayLimits) // limit violations
Q_DECLARE_LOGGING_CATEGORY(lcRelayHttp) // the HTTP side door
Q_DECLARE_LOGGING_CATEGORY(lcRelayAuth) // tokens, TLS, exposure warnings
Q_DECLARE_LOGGING_CATEGORY(lcRelayFrames) // per frame: debug only, off by default

namespace GroupLoop {

// How a program that hosts a relay writes its log: "text" (a timestamp, then the message with
// its [TAG]) or "json" (one object per line: time, level, category, tag, message) for log
// shippers. Returns false for an unknown format.
bool installLogFormat(const QString &format);

} // namespace GroupLoop
