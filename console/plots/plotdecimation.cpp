#include "plotdecimation.h"

#include <algorithm>

namespace GroupLoop::PlotDecimation {

std::vector<Column> minMax(const std::vector<Sample> &samples, qint64 fromMs, qint64 toMs, int columns)
{
    columns = std::max(columns, 1);
    std::vector<Column> out(static_cast<size_t>(columns));
    const double span = double(std::max<qint64>(1, toMs - fromMs));
    for (const Sample &s : samples) {
        if (s.atMs < fromMs || s.atMs > toMs)
            continue;
        const int c = std::min(columns - 1, int(double(s.atMs - fromMs) / span * columns));
        Column &col = out[size_t(c)];
        if (!s.valid) {
            col.gap = true;
            continue;
        }
        if (!col.valid) {
            col = Column {true, col.gap, s.value, s.value, s.value, s.value};
            continue;
        }
        col.last = s.value;
        col.min = std::min(col.min, s.value);
        col.max = std::max(col.max, s.value);
    }
    return out;
}

std::vector<Segment> segments(const std::vector<Column> &columns)
{
    std::vector<Segment> out;
    out.reserve(columns.size() * 2);
    int previous = -1;
    for (int c = 0; c < int(columns.size()); ++c) {
        const Column &col = columns[size_t(c)];
        if (col.gap)
            previous = -1; // a gap breaks the line (a valid sample after it starts anew)
        if (!col.valid)
            continue;
        if (previous >= 0)
            out.push_back({double(previous), columns[size_t(previous)].last, double(c), col.first});
        if (col.max > col.min)
            out.push_back({double(c), col.min, double(c), col.max});
        previous = c;
    }
    return out;
}

} // namespace GroupLoop::PlotDecimation
