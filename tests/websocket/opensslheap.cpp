#include "opensslheap.h"

#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace GroupLoop::Testing::OpenSslHeap {

namespace {

std::atomic<qint64> live {0};
constexpr size_t Header = 16; // keeps the caller's pointer 16-byte aligned

void *allocate(size_t size, const char *, int)
{
    auto *block = static_cast<char *>(std::malloc(size + Header));
    if (!block)
        return nullptr;
    std::memcpy(block, &size, sizeof size);
    live += qint64(size);
    return block + Header;
}

void release(void *pointer, const char *, int)
{
    if (!pointer)
        return;
    char *block = static_cast<char *>(pointer) - Header;
    size_t size;
    std::memcpy(&size, block, sizeof size);
    live -= qint64(size);
    std::free(block);
}

void *reallocate(void *pointer, size_t size, const char *file, int line)
{
    if (!pointer)
        return allocate(size, file, line);
    char *block = static_cast<char *>(pointer) - Header;
    size_t old;
    std::memcpy(&old, block, sizeof old);
    auto *grown = static_cast<char *>(std::realloc(block, size + Header));
    if (!grown)
        return nullptr;
    std::memcpy(grown, &size, sizeof size);
    live += qint64(size) - qint64(old);
    return grown + Header;
}

} // namespace

bool install()
{
    return CRYPTO_set_mem_functions(allocate, reallocate, release) == 1;
}

qint64 liveBytes()
{
    return live.load();
}

} // namespace GroupLoop::Testing::OpenSslHeap
