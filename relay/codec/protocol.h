// The fixed strings of the GroupLoop wire protocol (see docs/protocol.md).
// Every reply a legacy client can see is spelled here, once.
#pragma once

#include <QString>
#include <QStringList>

namespace GroupLoop::Protocol {

// The port a relay serves WebSocket and HTTP on, and the one clients try, unless told otherwise.
inline constexpr quint16 DefaultPort = 5003;
// The relay's default limit on sensor frames (or messages) per second per connection, sustained;
// bursts up to one second's worth. A gateway carries many devices on one connection: 2,000/s fits
// 40 devices at 50 Hz. Senders (the simulator) warn before they would cross it.
inline constexpr double DefaultMaxFramesPerSecond = 2000.0;

inline QString greeting()
{
    return QStringLiteral("Connected to GroupLoop WebSocket server");
}
inline QString pong()
{
    return QStringLiteral("pong");
}
inline QString idOk()
{
    return QStringLiteral("id:ok");
}
inline QString idError()
{
    return QStringLiteral("id:error");
}
inline QString streamOn()
{
    return QStringLiteral("stream:on");
}
inline QString commandInvalidFormat()
{
    return QStringLiteral("cmd:error:invalid_format");
}
inline QString commandSuccess()
{
    return QStringLiteral("cmd:result:success");
}
inline QString commandFailed()
{
    return QStringLiteral("cmd:result:failed");
}
inline QString commandSentTo(int devices)
{
    return QStringLiteral("cmd:result:sent_to_") + QString::number(devices) + QStringLiteral("_devices");
}
inline QString commandUnknown(const QString &command)
{
    return QStringLiteral("cmd:result:Unknown command: ") + command;
}
// Our extension: a refusal carries its reason after "cmd:result:refused:".
inline QString commandRefused(const QString &reason)
{
    return QStringLiteral("cmd:result:refused:") + reason;
}

// Our extension: the answer to auth:<token> when the token is good (or no token is needed).
inline QString authOk()
{
    return QStringLiteral("auth:ok");
}
// The original relay printed a Python list: ['p1', 'p2'].
QString pythonListRepr(const QStringList &items);

inline QString commandNeedsParameters(const QString &command, const QStringList &parameters)
{
    return QStringLiteral("cmd:result:Command ") + command + QStringLiteral(" requires parameters: ")
        + pythonListRepr(parameters);
}

// What a device receives for a command: always "<command>:<params>", trailing colon kept.
inline QString deviceCommand(const QString &command, const QString &params)
{
    return command + QLatin1Char(':') + params;
}

} // namespace GroupLoop::Protocol
