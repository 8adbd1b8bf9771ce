// Fuzz target: the strict HTTP request-head parser of the relay's side door.
#include "httprequesthead.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView buffer(reinterpret_cast<const char *>(data), qsizetype(size));
    GroupLoop::HttpRequestHead head;
    qsizetype length = -1;
    const auto status = GroupLoop::HttpRequestHead::parse(buffer, &head, &length);
    if (status == GroupLoop::HttpRequestHead::Status::Complete) {
        if (length <= 0 || length > buffer.size() || head.method.isEmpty() || head.target.isEmpty())
            std::abort();
        // Parsing the head alone gives the same answer.
        GroupLoop::HttpRequestHead again;
        qsizetype againLength = -1;
        if (GroupLoop::HttpRequestHead::parse(buffer.first(length), &again, &againLength) != status
            || againLength != length || again.target != head.target)
            std::abort();
        (void)head.isWebSocketUpgrade();
        (void)head.path();
        (void)head.query();
    }
    return 0;
}
