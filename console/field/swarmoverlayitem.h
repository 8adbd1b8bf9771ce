// SwarmOverlayItem: the simulated swarm's true positions and live LED rings, drawn over the
// device field in the field's own view (zoom, pan), as one scene-graph geometry node. It never
// takes mouse input, so selection and panning on the field underneath keep working. The field's
// selection marks are drawn again over the hexagons, so a selected device stays marked.
#pragma once

#include "swarmoverlaygeometry.h"

#include <QPointer>
#include <QQuickItem>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("devicefielditem.h")
Q_MOC_INCLUDE("swarmcontroller.h")

namespace GroupLoop {

class DeviceFieldItem;
class SwarmController;

class SwarmOverlayItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SwarmOverlay)
    Q_PROPERTY(GroupLoop::SwarmController *swarm READ swarm WRITE setSwarm NOTIFY swarmChanged)
    Q_PROPERTY(GroupLoop::DeviceFieldItem *field READ field WRITE setField NOTIFY fieldChanged)
    Q_PROPERTY(bool showLinks READ showLinks WRITE setShowLinks NOTIFY styleChanged)
    Q_PROPERTY(QColor outlineColor READ outlineColor WRITE setOutlineColor NOTIFY styleChanged)
    Q_PROPERTY(QColor ledOffColor READ ledOffColor WRITE setLedOffColor NOTIFY styleChanged)
    Q_PROPERTY(QColor linkColor READ linkColor WRITE setLinkColor NOTIFY styleChanged)
    Q_PROPERTY(int markerCount READ markerCount NOTIFY markersChanged)

public:
    explicit SwarmOverlayItem(QQuickItem *parent = nullptr);

    SwarmController *swarm() const { return m_swarm; }
    void setSwarm(SwarmController *swarm);
    DeviceFieldItem *field() const { return m_field; }
    void setField(DeviceFieldItem *field);
    bool showLinks() const { return m_showLinks; }
    void setShowLinks(bool show);
    QColor outlineColor() const { return m_style.outline; }
    void setOutlineColor(const QColor &c);
    QColor ledOffColor() const { return m_style.ledOff; }
    void setLedOffColor(const QColor &c);
    QColor linkColor() const { return m_style.link; }
    void setLinkColor(const QColor &c);
    int markerCount() const { return int(m_markers.size()); }

    // Item position of a device's true-position marker, (-1, -1) when not drawn (tests).
    Q_INVOKABLE QPointF itemPositionOf(const QString &id) const;
    // Current radius in pixels of a device's marker (swells with its LEDs), 0 when unknown.
    Q_INVOKABLE double markerRadiusOf(const QString &id) const;

    const std::vector<SwarmOverlayGeometry::Marker> &markers() const { return m_markers; }

Q_SIGNALS:
    void swarmChanged();
    void fieldChanged();
    void styleChanged();
    void markersChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *) override;

private:
    void rebuild();
    FieldGeometry::View view() const;
    int indexOf(const QString &id) const;

    QPointer<SwarmController> m_swarm;
    QPointer<DeviceFieldItem> m_field;
    bool m_showLinks = true;
    SwarmOverlayGeometry::Style m_style;
    std::vector<SwarmOverlayGeometry::Marker> m_markers;
    std::vector<quint16> m_ids; // parallel to m_markers
    std::vector<FieldGeometry::Vertex> m_vertices;
};

} // namespace GroupLoop
