// Fuzz target: the OSC decoder (console/outputs/osc), which reads whatever arrives on the OSC in
// port. A packet it accepts must encode back to exactly the same bytes (the decoder is strict
// about padding and sizes, so there is one encoding), and show-control parsing of every message
// in it must not fail in any other way than with a reason.
#include "oscreader.h"
#include "oscwriter.h"
#include "showcontrol.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace GroupLoop;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto packet = Osc::parse(bytes, &error);
    if (!packet) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
        return 0;
    }
    if (!error.isEmpty() || Osc::encode(*packet) != bytes)
        std::abort();
    for (const Osc::Message &message : packet->messages()) {
        if (!message.address.startsWith('/'))
            std::abort();
        for (const Osc::Argument &argument : message.arguments)
            (void)argument.toText();
        QString why;
        const auto request = ShowControl::parse(message, &why);
        if (bool(request) == !why.isEmpty())
            std::abort(); // a request, or a reason why not: never both, never neither
        if (request && request->kind == ShowRequest::Kind::Command
            && request->command.compare(u"ota", Qt::CaseInsensitive) == 0)
            std::abort(); // ota never passes
    }
    return 0;
}
