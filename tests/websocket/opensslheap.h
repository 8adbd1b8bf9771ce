// Counts the bytes OpenSSL has allocated and not yet freed in this process, through
// CRYPTO_set_mem_functions: the exact heap a TLS session holds, without the noise of the C
// library's arenas. install() must run before OpenSSL allocates anything (first thing in main).
#pragma once

#include <QtGlobal>

namespace GroupLoop::Testing::OpenSslHeap {

bool install(); // false if OpenSSL had already allocated (then liveBytes() stays 0)
qint64 liveBytes();

} // namespace GroupLoop::Testing::OpenSslHeap
