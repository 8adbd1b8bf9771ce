#include "inboundmessage.h"

#include <QChar>

namespace GroupLoop {

namespace PyText {

bool isSpace(char16_t c)
{
    // Python's str.isspace() also counts the ASCII separators 0x1c-0x1f.
    return (c >= 0x1c && c <= 0x1f) || QChar::isSpace(c);
}

bool isLineBreak(char16_t c)
{
    switch (c) {
    case u'\n':
    case u'\r':
    case 0x0b:
    case 0x0c:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x85:
    case 0x2028:
    case 0x2029:
        return true;
    default:
        return false;
    }
}

QStringView strip(QStringView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isSpace(text[begin].unicode()))
        ++begin;
    while (end > begin && isSpace(text[end - 1].unicode()))
        --end;
    return text.sliced(begin, end - begin);
}

} // namespace PyText

InboundMessage InboundMessage::classify(const QString &text)
{
    InboundMessage message;
    if (text == u"ping") {
        message.kind = Kind::Ping;
    } else if (text.startsWith(u"id:")) {
        message.kind = Kind::Identify;
        message.label = PyText::strip(QStringView(text).sliced(3)).toString();
    } else if (text == u"s") {
        message.kind = Kind::Subscribe;
    } else if (text.startsWith(u"cmd:")) {
        message.kind = Kind::Command;
        // Python: text[4:].split(":", 2) -- params keep their own colons.
        const QStringView rest = QStringView(text).sliced(4);
        const qsizetype first = rest.indexOf(u':');
        if (first >= 0) {
            message.commandWellFormed = true;
            message.target = rest.first(first).toString().toLower();
            const QStringView afterTarget = rest.sliced(first + 1);
            const qsizetype second = afterTarget.indexOf(u':');
            if (second >= 0) {
                message.command = afterTarget.first(second).toString();
                message.params = afterTarget.sliced(second + 1).toString();
            } else {
                message.command = afterTarget.toString();
            }
        }
    } else if (text.startsWith(u"auth:")) {
        message.kind = Kind::Authenticate;
        message.token = text.sliced(5);
    } else {
        message.kind = Kind::Data;
    }
    return message;
}

} // namespace GroupLoop
