#include "swarmoverlaygeometry.h"

#include <QLineF>
#include <QRectF>

#include <algorithm>
#include <cmath>

namespace GroupLoop::SwarmOverlayGeometry {

namespace {

constexpr double Pi = 3.14159265358979323846;

FieldGeometry::Vertex vertex(QPointF p, const QColor &c)
{
    const double a = std::clamp(double(c.alphaF()), 0.0, 1.0);
    return {float(p.x()),
            float(p.y()),
            static_cast<unsigned char>(std::lround(c.red() * a)),
            static_cast<unsigned char>(std::lround(c.green() * a)),
            static_cast<unsigned char>(std::lround(c.blue() * a)),
            static_cast<unsigned char>(std::lround(a * 255))};
}

QPointF corner(QPointF centre, double radius, int index)
{
    // Corner 0 at the top; corners run clockwise on screen (y grows downwards).
    const double angle = -Pi / 2 + index * Pi / 3 - Pi / 6;
    return centre + QPointF(std::cos(angle), std::sin(angle)) * radius;
}

void wedge(std::vector<FieldGeometry::Vertex> &out, QPointF centre, double radius, int index, const QColor &c)
{
    out.push_back(vertex(centre, c));
    out.push_back(vertex(corner(centre, radius, index), c));
    out.push_back(vertex(corner(centre, radius, (index + 1) % 6), c));
}

void line(std::vector<FieldGeometry::Vertex> &out, QPointF a, QPointF b, double width, const QColor &c)
{
    const QLineF l(a, b);
    if (l.length() < 0.5)
        return;
    const QPointF n = QPointF(-(b.y() - a.y()), b.x() - a.x()) / l.length() * (width / 2);
    const FieldGeometry::Vertex v[4]
        = {vertex(a + n, c), vertex(a - n, c), vertex(b + n, c), vertex(b - n, c)};
    out.insert(out.end(), {v[0], v[1], v[2], v[2], v[1], v[3]});
}

} // namespace

double ringLevel(const LedRing::Colours &leds)
{
    int level = 0;
    for (const Rgb &led : leds)
        level = std::max({level, int(led.r), int(led.g), int(led.b)});
    return level / 255.0;
}

double markerRadius(const LedRing::Colours &leds, const Style &style)
{
    return style.radiusPx * (1.0 + style.swell * ringLevel(leds));
}

void build(const std::vector<Marker> &markers, const FieldGeometry::View &view, const Style &style,
           std::vector<FieldGeometry::Vertex> &out)
{
    out.clear();
    out.reserve(markers.size() * (VerticesPerMarker + 6));
    const double reach = style.radiusPx * (1.0 + style.swell) * 1.3;
    const QRectF visible = QRectF(QPointF(0, 0), view.viewport).adjusted(-reach, -reach, reach, reach);
    for (const Marker &m : markers) {
        if (!m.estimated)
            continue;
        const QPointF a = view.toItem(*m.estimated);
        const QPointF b = view.toItem(m.room);
        if (visible.contains(a) || visible.contains(b))
            line(out, a, b, style.linkWidthPx, style.link);
    }
    for (const Marker &m : markers) {
        const QPointF centre = view.toItem(m.room);
        if (!visible.contains(centre))
            continue;
        const double radius = markerRadius(m.leds, style);
        QColor outline = style.outline;
        if (!m.connected)
            outline.setAlphaF(outline.alphaF() * 0.4);
        for (int i = 0; i < 6; ++i)
            wedge(out, centre, radius + 1.5, i, outline);
        for (int i = 0; i < 6; ++i) {
            const Rgb &led = m.leds[size_t(i)];
            wedge(out, centre, radius, i, led.isOff() ? style.ledOff : QColor(led.r, led.g, led.b));
        }
    }
}

} // namespace GroupLoop::SwarmOverlayGeometry
