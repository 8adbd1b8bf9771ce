#include "fieldgeometry.h"

#include "roommodel.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace GroupLoop::FieldGeometry {

namespace {

constexpr double TrayGap = 40.0; // cm between the south wall and the tray
constexpr double TraySpacing = 25.0;
constexpr int TrayColumns = 32;

struct Rgba
{
    unsigned char r, g, b, a;
};

Rgba premultiplied(const QColor &c, double alphaScale = 1.0)
{
    const double a = std::clamp(c.alphaF() * alphaScale, 0.0, 1.0);
    return {static_cast<unsigned char>(std::lround(c.red() * a)),
            static_cast<unsigned char>(std::lround(c.green() * a)),
            static_cast<unsigned char>(std::lround(c.blue() * a)),
            static_cast<unsigned char>(std::lround(a * 255.0))};
}

void push(std::vector<Vertex> &out, double x, double y, Rgba c)
{
    out.push_back(Vertex {float(x), float(y), c.r, c.g, c.b, c.a});
}

void quad(std::vector<Vertex> &out, const QRectF &r, Rgba c)
{
    push(out, r.left(), r.top(), c);
    push(out, r.right(), r.top(), c);
    push(out, r.right(), r.bottom(), c);
    push(out, r.left(), r.top(), c);
    push(out, r.right(), r.bottom(), c);
    push(out, r.left(), r.bottom(), c);
}

void disc(std::vector<Vertex> &out, QPointF centre, double radius, Rgba c)
{
    static const auto unit = [] {
        std::array<QPointF, DiscSegments + 1> points;
        for (int i = 0; i <= DiscSegments; ++i) {
            const double angle = 2.0 * M_PI * i / DiscSegments + M_PI / DiscSegments;
            points[size_t(i)] = QPointF(std::cos(angle), std::sin(angle));
        }
        return points;
    }();
    for (int i = 0; i < DiscSegments; ++i) {
        push(out, centre.x(), centre.y(), c);
        push(out, centre.x() + unit[size_t(i)].x() * radius, centre.y() + unit[size_t(i)].y() * radius, c);
        push(out, centre.x() + unit[size_t(i + 1)].x() * radius,
             centre.y() + unit[size_t(i + 1)].y() * radius, c);
    }
}

// A square standing on its corner: replayed devices, told apart from live discs by shape.
void diamond(std::vector<Vertex> &out, QPointF centre, double radius, Rgba c)
{
    const QPointF n(centre.x(), centre.y() - radius), e(centre.x() + radius, centre.y());
    const QPointF s(centre.x(), centre.y() + radius), w(centre.x() - radius, centre.y());
    for (const QPointF &p : {n, e, s, n, s, w})
        push(out, p.x(), p.y(), c);
}

// The viewport grown by what a dot at its edge may draw into it.
QRectF drawnArea(const View &view, double dotRadius)
{
    const double m = 3 * dotRadius;
    return QRectF(QPointF(0, 0), view.viewport).adjusted(-m, -m, m, m);
}

// Four corner brackets around `centre`, `half` from it, arms `arm` long and `width` thick.
void brackets(std::vector<Vertex> &out, QPointF centre, double half, double arm, double width, Rgba c)
{
    for (const double sx : {-1.0, 1.0}) {
        for (const double sy : {-1.0, 1.0}) {
            const QPointF corner = centre + QPointF(sx * half, sy * half);
            // The horizontal arm runs inwards along x, the vertical one along y.
            quad(out, QRectF(corner, corner + QPointF(-sx * arm, -sy * width)).normalized(), c);
            quad(out, QRectF(corner, corner + QPointF(-sx * width, -sy * arm)).normalized(), c);
        }
    }
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t), 1.0f);
}

} // namespace

View View::fit(QSizeF viewport, double zoom, QPointF pan, double marginPx)
{
    View v;
    v.viewport = viewport;
    const double contentHeight = RoomModel::Height + TrayGap + TraySpacing * 2;
    const double w = std::max(1.0, viewport.width() - 2 * marginPx);
    const double h = std::max(1.0, viewport.height() - 2 * marginPx);
    const double base = std::min(w / RoomModel::Width, h / contentHeight);
    v.scale = base * std::max(zoom, 0.05);
    const QPointF roomCentre(RoomModel::Width / 2, contentHeight / 2);
    const QPointF viewCentre(viewport.width() / 2, viewport.height() / 2);
    v.offset = viewCentre - (roomCentre + pan) * v.scale;
    return v;
}

QPointF trayPosition(int index)
{
    return {TraySpacing / 2 + (index % TrayColumns) * TraySpacing,
            RoomModel::Height + TrayGap + (index / TrayColumns) * TraySpacing};
}

bool sameDots(const std::vector<Dot> &a, const std::vector<Dot> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Dot &x, const Dot &y) {
        return x.room == y.room && x.colour == y.colour && x.selected == y.selected && x.stale == y.stale
            && x.hovered == y.hovered && x.flash == y.flash && x.replayed == y.replayed;
    });
}

double dotRadiusFor(double scale)
{
    return std::clamp(scale * 6.0, 3.0, 11.0);
}

void build(const std::vector<Dot> &dots, const View &view, const Style &style, std::vector<Vertex> &out)
{
    out.clear();
    out.reserve(size_t(VerticesPerQuad) * 20 + size_t(VerticesPerDisc) * (4 + dots.size() * 3));

    const QRectF room(view.toItem({0, 0}), view.toItem({RoomModel::Width, RoomModel::Height}));
    quad(out, room, premultiplied(style.floor));
    const Rgba grid = premultiplied(style.grid);
    for (double x = GridStep; x < RoomModel::Width; x += GridStep) {
        const double px = view.toItem({x, 0}).x();
        quad(out, QRectF(px - 0.5, room.top(), 1.0, room.height()), grid);
    }
    for (double y = GridStep; y < RoomModel::Height; y += GridStep) {
        const double py = view.toItem({0, y}).y();
        quad(out, QRectF(room.left(), py - 0.5, room.width(), 1.0), grid);
    }
    const Rgba wall = premultiplied(style.wall);
    const double t = 2.0;
    quad(out, QRectF(room.left() - t, room.top() - t, room.width() + 2 * t, t), wall);
    quad(out, QRectF(room.left() - t, room.bottom(), room.width() + 2 * t, t), wall);
    quad(out, QRectF(room.left() - t, room.top(), t, room.height()), wall);
    quad(out, QRectF(room.right(), room.top(), t, room.height()), wall);
    for (int beacon = 0; beacon < 4; ++beacon)
        disc(out, view.toItem(RoomModel::beaconPosition(beacon)), style.beaconRadiusPx,
             premultiplied(style.beacon));

    const double r = style.dotRadiusPx;
    const QRectF visible = drawnArea(view, r);
    for (const Dot &dot : dots) {
        const QPointF centre = view.toItem(dot.room);
        if (!visible.contains(centre))
            continue;
        if (dot.flash > 0.0f)
            disc(out, centre, r * (1.6 + 1.4 * (1.0 - dot.flash)),
                 premultiplied(style.flash, dot.flash * 0.9));
        if (dot.hovered)
            disc(out, centre, r + 5.0, premultiplied(style.hover));
        QColor colour = dot.colour.isValid() ? dot.colour : style.unknownDevice;
        if (dot.stale)
            colour = mix(colour, style.stale, 0.75);
        if (dot.replayed) {
            diamond(out, centre, r * 1.45, premultiplied(style.replay));
            diamond(out, centre, r * 1.45 - 2.0, premultiplied(colour));
        } else {
            disc(out, centre, r, premultiplied(colour));
        }
    }
    appendSelectionMarks(dots, view, style, out);
}

double selectionMarkReach(double dotRadiusPx)
{
    return dotRadiusPx + 5.0;
}

void appendSelectionMarks(const std::vector<Dot> &dots, const View &view, const Style &style,
                          std::vector<Vertex> &out)
{
    const double r = style.dotRadiusPx;
    const double half = selectionMarkReach(r) - 1.0;
    const double arm = std::max(4.0, r * 0.8);
    const QRectF visible = drawnArea(view, r);
    const Rgba outline = premultiplied(style.selectionOutline);
    const Rgba fill = premultiplied(style.selection);
    for (const Dot &dot : dots) {
        if (!dot.selected)
            continue;
        const QPointF centre = view.toItem(dot.room);
        if (!visible.contains(centre))
            continue;
        brackets(out, centre, half + 1.0, arm + 2.0, 4.0, outline);
        brackets(out, centre, half, arm, 2.0, fill);
    }
}

int hitTest(const std::vector<Dot> &dots, const View &view, QPointF itemPoint, double maxDistancePx)
{
    int best = -1;
    double bestDistance = maxDistancePx * maxDistancePx;
    for (int i = 0; i < int(dots.size()); ++i) {
        const QPointF d = view.toItem(dots[size_t(i)].room) - itemPoint;
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

std::vector<int> dotsInRect(const std::vector<Dot> &dots, const View &view, const QRectF &itemRect)
{
    std::vector<int> out;
    const QRectF rect = itemRect.normalized();
    for (int i = 0; i < int(dots.size()); ++i)
        if (rect.contains(view.toItem(dots[size_t(i)].room)))
            out.push_back(i);
    return out;
}

} // namespace GroupLoop::FieldGeometry
