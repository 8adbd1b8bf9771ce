// ScratchBuffer: a byte buffer this thread lends for the length of one call, for what a
// connection needs only while it handles one read or one frame (plaintext decrypted from a
// read, records to send). Once warm, nothing is allocated per call, and an idle connection
// keeps no buffer. Each Slot is its own buffer, so a call can hold several at once; a nested
// call (a slot that spins the event loop) finds its slot lent out and gets a fresh buffer.
#pragma once

#include <QByteArray>

#include <utility>

namespace GroupLoop {

template<int Slot> class ScratchBuffer
{
public:
    static constexpr qsizetype MaxKeptBytes = 64 * 1024; // a burst's larger buffer is let go

    ScratchBuffer()
        : m_bytes(std::exchange(spare(), QByteArray()))
    {
        m_bytes.resize(0); // keeps the capacity
    }
    ~ScratchBuffer()
    {
        if (m_bytes.capacity() <= MaxKeptBytes)
            spare() = std::move(m_bytes);
    }
    ScratchBuffer(const ScratchBuffer &) = delete;
    ScratchBuffer &operator=(const ScratchBuffer &) = delete;

    QByteArray &bytes() { return m_bytes; }

private:
    static QByteArray &spare()
    {
        thread_local QByteArray buffer;
        return buffer;
    }
    QByteArray m_bytes;
};

} // namespace GroupLoop
