// PlotDecimation: reduces a time series to at most one min/max pair per pixel column, so a
// plot costs the same however many samples its window holds.
#pragma once

#include <QtGlobal>

#include <vector>

namespace GroupLoop::PlotDecimation {

struct Sample
{
    qint64 atMs = 0;
    double value = 0.0;
    bool valid = true; // false leaves a gap (e.g. a beacon not heard)
};

struct Column
{
    bool valid = false; // holds at least one valid sample
    bool gap = false; // holds an invalid sample: the line breaks here
    double first = 0.0;
    double last = 0.0;
    double min = 0.0;
    double max = 0.0;
};

// Samples outside [fromMs, toMs] are ignored; `columns` >= 1.
std::vector<Column> minMax(const std::vector<Sample> &samples, qint64 fromMs, qint64 toMs, int columns);

// Line segments (pairs of points, x in columns, y in value units) tracing the columns:
// a vertical min..max stroke per column and a joint from one column's last to the next valid
// column's first, across empty columns (sparse samples) but not across a gap.
struct Segment
{
    double x1, y1, x2, y2;
};
std::vector<Segment> segments(const std::vector<Column> &columns);

} // namespace GroupLoop::PlotDecimation
