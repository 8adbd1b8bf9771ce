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
Q_DECLARE_LOGGING_CATEGORY(lcRelayCluster) // the Redis backplane

namespace GroupLoop {

// How a program that hosts a relay writes its log: "text" (a timestamp, then the message with
// its [TAG], control characters escaped) or "json" (one object per line: time, level, category, tag, message)
// for log shippers. Returns false for an unknown format.
bool installLogFormat(const QString &format);

// `text` with its control characters as escapes (\r, \n, \t, \u001b): what a peer puts into
// a log line (a close reason, a label, a request line) cannot start a forged line or move the
// terminal's cursor. The text log format applies it to every message; JSON escapes by itself.
QString escapeControlCharacters(const QString &text);

} // namespace GroupLoop
