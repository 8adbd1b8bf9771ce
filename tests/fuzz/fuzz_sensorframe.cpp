// Fuzz target: SensorFrame parsing both ways, and the encode/parse round trip.
#include "sensorframe.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto fromBytes = GroupLoop::SensorFrame::parse(bytes);
    const QString text = QString::fromLatin1(bytes);
    const auto fromText = GroupLoop::SensorFrame::parse(QStringView(text));
    if (bool(fromBytes) != bool(fromText) || bool(fromText) != GroupLoop::SensorFrame::isFrameText(text))
        std::abort();
    if (fromBytes) {
        if (*fromBytes != *fromText)
            std::abort();
        const QByteArray hex = fromBytes->toHex();
        if (hex.compare(bytes, Qt::CaseInsensitive) != 0
            || GroupLoop::SensorFrame::parse(QByteArrayView(hex)) != fromBytes)
            std::abort();
    }
    return 0;
}
