// SwarmOverlayGeometry: the simulator's true positions drawn over the device field, as a pure
// function so it can be tested without a GPU. Each virtual device is a small hexagon split into
// six wedges, one per LED of its ring (LED 0 at the top, clockwise) in the colour the simulated
// ring shows right now; the hexagon swells with the ring's brightness so a heartbeat visibly
// pulses. A thin line joins it to where the console estimates the device from its beacons.
#pragma once

#include "fieldgeometry.h"
#include "ledring.h"

#include <QColor>
#include <QPointF>

#include <optional>
#include <vector>

namespace GroupLoop::SwarmOverlayGeometry {

struct Marker
{
    QPointF room; // true position, room units
    LedRing::Colours leds {};
    std::optional<QPointF> estimated; // the console's estimate, when it has one
    bool connected = true;
};

struct Style
{
    QColor outline {40, 44, 52};
    QColor ledOff {70, 74, 82};
    QColor link {120, 120, 120, 140};
    double radiusPx = 6.0;
    double swell = 0.45; // extra radius (fraction) at full LED brightness
    double linkWidthPx = 1.2;
};

inline constexpr int VerticesPerHexagon = 6 * 3;
inline constexpr int VerticesPerMarker = 2 * VerticesPerHexagon;

// 0..1: the brightest channel of the brightest LED.
double ringLevel(const LedRing::Colours &leds);
// Radius of a marker with this ring at this style.
double markerRadius(const LedRing::Colours &leds, const Style &style);

// Appends estimate links first (so they lie underneath), then one marker per device in view.
void build(const std::vector<Marker> &markers, const FieldGeometry::View &view, const Style &style,
           std::vector<FieldGeometry::Vertex> &out);

} // namespace GroupLoop::SwarmOverlayGeometry
