// Fuzz target: the inbound message classifier and the frame-line scanner.
#include "inboundmessage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const GroupLoop::InboundMessage message = GroupLoop::InboundMessage::classify(text);
    if (message.kind == GroupLoop::InboundMessage::Kind::Command && message.commandWellFormed
        && !text.contains(message.command))
        std::abort();
    int frames = 0;
    GroupLoop::forEachFrameLine(QStringView(text), [&](quint16 id, QStringView line) {
        ++frames;
        const auto frame = GroupLoop::SensorFrame::parse(line);
        if (!frame || frame->id != id)
            std::abort(); // every reported line is a frame, with the reported id
    });
    if (frames > text.size() / GroupLoop::SensorFrame::TextLength)
        std::abort();
    return 0;
}
