#include "swarmoverlayitem.h"

#include "devicefielditem.h"
#include "devicestore.h"
#include "sensorframe.h"
#include "swarmcontroller.h"

#include "vertexcolornode.h"

#include <QSGGeometryNode>
#include <QSGVertexColorMaterial>

#include <algorithm>
#include <cstring>

namespace GroupLoop {

namespace {
// Markers a little smaller than the field's dots, so dense swarms stay readable when zoomed out.
constexpr double MarkerScale = 0.85;
} // namespace

SwarmOverlayItem::SwarmOverlayItem(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents, true);
    setAcceptedMouseButtons(Qt::NoButton);
    setClip(true);
    connect(this, &QQuickItem::visibleChanged, this, &SwarmOverlayItem::rebuild);
}

void SwarmOverlayItem::setSwarm(SwarmController *swarm)
{
    if (swarm == m_swarm)
        return;
    if (m_swarm)
        disconnect(m_swarm, nullptr, this, nullptr);
    m_swarm = swarm;
    if (m_swarm)
        connect(m_swarm, &SwarmController::snapshotChanged, this, &SwarmOverlayItem::rebuild);
    rebuild();
    Q_EMIT swarmChanged();
}

void SwarmOverlayItem::setField(DeviceFieldItem *field)
{
    if (field == m_field)
        return;
    if (m_field)
        disconnect(m_field, nullptr, this, nullptr);
    m_field = field;
    if (m_field) {
        connect(m_field, &DeviceFieldItem::viewChanged, this, [this] { update(); });
        // The selection marks are drawn again on top of the hexagons, so they follow the field.
        connect(m_field, &DeviceFieldItem::contentChanged, this, [this] {
            if (!m_markers.empty())
                update();
        });
        connect(m_field, &QQuickItem::widthChanged, this, [this] { update(); });
        connect(m_field, &QQuickItem::heightChanged, this, [this] { update(); });
    }
    rebuild();
    Q_EMIT fieldChanged();
}

void SwarmOverlayItem::setShowLinks(bool show)
{
    if (show == m_showLinks)
        return;
    m_showLinks = show;
    Q_EMIT styleChanged();
    rebuild();
}

#define GL_OVERLAY_SETTER(Name, member)                                                                      \
    void SwarmOverlayItem::set##Name(const QColor &c)                                                        \
    {                                                                                                        \
        setFieldColor(this, m_style.member, c);                                                              \
    }
GL_OVERLAY_SETTER(OutlineColor, outline)
GL_OVERLAY_SETTER(LedOffColor, ledOff)
GL_OVERLAY_SETTER(LinkColor, link)
#undef GL_OVERLAY_SETTER

FieldGeometry::View SwarmOverlayItem::view() const
{
    // Same view as the field (the overlay is laid over it at the same size).
    return m_field ? m_field->view() : FieldGeometry::View::fit(size(), 1.0, {});
}

int SwarmOverlayItem::indexOf(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    if (!value)
        return -1;
    const auto it = std::find(m_ids.begin(), m_ids.end(), *value);
    return it == m_ids.end() ? -1 : int(it - m_ids.begin());
}

QPointF SwarmOverlayItem::itemPositionOf(const QString &id) const
{
    const int index = indexOf(id);
    return index < 0 ? QPointF(-1, -1) : view().toItem(m_markers[size_t(index)].room);
}

double SwarmOverlayItem::markerRadiusOf(const QString &id) const
{
    const int index = indexOf(id);
    if (index < 0)
        return 0.0;
    SwarmOverlayGeometry::Style style = m_style;
    style.radiusPx = FieldGeometry::dotRadiusFor(view().scale) * MarkerScale;
    return SwarmOverlayGeometry::markerRadius(m_markers[size_t(index)].leds, style);
}

void SwarmOverlayItem::rebuild()
{
    const bool hadMarkers = !m_markers.empty();
    m_markers.clear();
    m_ids.clear();
    if (m_swarm && isVisible()) {
        const QList<DeviceSnapshot> &snapshot = m_swarm->snapshot();
        const DeviceStore *store = m_field ? m_field->store() : nullptr;
        m_markers.reserve(size_t(snapshot.size()));
        m_ids.reserve(size_t(snapshot.size()));
        for (const DeviceSnapshot &device : snapshot) {
            SwarmOverlayGeometry::Marker marker;
            marker.room = device.position;
            marker.leds = device.leds;
            marker.connected = device.connected;
            if (m_showLinks && store) {
                const DeviceState *seen = store->device(device.id);
                if (seen && seen->hasPosition)
                    marker.estimated = seen->position;
            }
            m_markers.push_back(marker);
            m_ids.push_back(device.id);
        }
    }
    // Repaint only when there is something to draw or to erase: a hidden overlay must not keep
    // the window rendering at the swarm's snapshot rate.
    if (hadMarkers || !m_markers.empty()) {
        Q_EMIT markersChanged();
        update();
    }
}

QSGNode *SwarmOverlayItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    const FieldGeometry::View v = view();
    SwarmOverlayGeometry::Style style = m_style;
    style.radiusPx = FieldGeometry::dotRadiusFor(v.scale) * MarkerScale;
    SwarmOverlayGeometry::build(m_markers, v, style, m_vertices);
    if (m_field && !m_markers.empty()) { // the selection stays on top of the hexagons
        FieldGeometry::Style fieldStyle = m_field->style();
        fieldStyle.dotRadiusPx = FieldGeometry::dotRadiusFor(v.scale);
        FieldGeometry::appendSelectionMarks(m_field->dots(), v, fieldStyle, m_vertices);
    }
    return updateVertexColorNode(oldNode, m_vertices);
}

} // namespace GroupLoop
