#include "devicestate.h"

namespace GroupLoop {

DeviceHistory::DeviceHistory(int capacity)
    : m_samples(size_t(qMax(capacity, 1)))
{
}

void DeviceHistory::append(const HistorySample &sample)
{
    m_samples[size_t(m_head)] = sample;
    m_head = (m_head + 1) % capacity();
    m_size = qMin(m_size + 1, capacity());
}

const HistorySample &DeviceHistory::at(int i) const
{
    const int start = (m_head - m_size + capacity()) % capacity();
    return m_samples[size_t((start + i) % capacity())];
}

std::vector<HistorySample> DeviceHistory::since(qint64 fromMs) const
{
    std::vector<HistorySample> out;
    out.reserve(size_t(m_size));
    for (int i = 0; i < m_size; ++i) {
        const HistorySample &s = at(i);
        if (s.atMs >= fromMs)
            out.push_back(s);
    }
    return out;
}

} // namespace GroupLoop
