// FieldGeometry: the device field's vertices as a pure function of what is shown, so it can
// be tested without a GPU (the software scene-graph renderer ignores custom geometry).
// Everything is one triangle list with per-vertex colour: floor, grid, walls, the four beacon
// corners, then per device an optional tap flash (a round white halo) and hover ring and the dot,
// then, over every dot, the selection marks: square corner brackets, outlined so they show on any
// colour and cannot be taken for the round tap halo. The swarm overlay draws the same marks over
// its true-position hexagons (appendSelectionMarks), so a selection is never hidden.
#pragma once

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <vector>

namespace GroupLoop::FieldGeometry {

// Same layout as QSGGeometry::ColoredPoint2D; colours premultiplied by alpha.
struct Vertex
{
    float x;
    float y;
    unsigned char r;
    unsigned char g;
    unsigned char b;
    unsigned char a;
};

// Room centimetres <-> item pixels.
struct View
{
    double scale = 1.0; // pixels per centimetre
    QPointF offset; // item position of the room's (0, 0)
    QSizeF viewport;

    QPointF toItem(QPointF room) const { return offset + room * scale; }
    QPointF toRoom(QPointF item) const { return (item - offset) / scale; }
    // Fits the room (plus the tray for unplaced devices) in the viewport, then applies zoom
    // around the room centre and a pan in room units.
    static View fit(QSizeF viewport, double zoom, QPointF pan, double marginPx = 24.0);
};

struct Dot
{
    QPointF room;
    QColor colour; // invalid: unknown LED colour
    bool selected = false;
    bool stale = false;
    bool hovered = false;
    float flash = 0.0f; // 1 right after a tap, fading to 0
    bool replayed = false; // from the console's own replay: a diamond, not a disc
};

struct Style
{
    QColor floor {245, 246, 248};
    QColor grid {225, 228, 233};
    QColor wall {150, 156, 166};
    QColor beacon {52, 120, 246};
    QColor selection {255, 170, 0};
    QColor selectionOutline {30, 32, 38};
    QColor hover {40, 40, 40};
    QColor unknownDevice {120, 130, 145};
    QColor stale {185, 188, 194};
    QColor flash {255, 255, 255};
    QColor replay {150, 90, 210}; // the outline of a replayed device's diamond
    double dotRadiusPx = 6.0;
    double beaconRadiusPx = 12.0;
};

inline constexpr int DiscSegments = 8;
inline constexpr int VerticesPerDisc = DiscSegments * 3;
inline constexpr int VerticesPerQuad = 6;
// Four L-shaped corners of two bars each, outline then fill.
inline constexpr int VerticesPerSelectionMark = 2 * 8 * VerticesPerQuad;
inline constexpr double GridStep = 100.0; // one metre

// Room-space spot for a device that heard fewer than three beacons: a tray under the room.
QPointF trayPosition(int index);

// True when both lists would draw the same picture.
bool sameDots(const std::vector<Dot> &a, const std::vector<Dot> &b);

// Radius used for dots at a given scale (pixels per centimetre).
double dotRadiusFor(double scale);

// Appends the static room (floor, grid, walls, beacons) and the dots that fall in the viewport.
void build(const std::vector<Dot> &dots, const View &view, const Style &style, std::vector<Vertex> &out);
// Appends the selection marks of the selected dots in the viewport (style.dotRadiusPx sizes them).
void appendSelectionMarks(const std::vector<Dot> &dots, const View &view, const Style &style,
                          std::vector<Vertex> &out);
// Half the side of a selection mark's square around a dot of this radius: what labels clear.
double selectionMarkReach(double dotRadiusPx);

// Index of the dot nearest `itemPoint` within `maxDistancePx`, or -1.
int hitTest(const std::vector<Dot> &dots, const View &view, QPointF itemPoint, double maxDistancePx);
// Indices of dots whose centre lies inside `itemRect`.
std::vector<int> dotsInRect(const std::vector<Dot> &dots, const View &view, const QRectF &itemRect);

} // namespace GroupLoop::FieldGeometry
