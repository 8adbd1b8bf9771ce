// DeviceFieldItem: the top-down room with every device as a dot, drawn as ONE scene-graph
// geometry node with per-vertex colour (see FieldGeometry). Rebuilt once per store tick or
// view change, never per frame. Handles selection (click, Shift/Ctrl-click, rubber band),
// pan (middle/right drag, or Alt+left drag), zoom (wheel, around the cursor) and hover.
#pragma once

#include "fieldgeometry.h"
#include "fieldlabelmodel.h"
#include "vertexcolornode.h"

#include "devicestore.h"

#include <QPointer>
#include <QQuickItem>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class DeviceFieldItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(DeviceField)
    Q_PROPERTY(GroupLoop::DeviceStore *store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY viewChanged)
    Q_PROPERTY(QPointF pan READ pan WRITE setPan NOTIFY viewChanged)
    Q_PROPERTY(QString hoveredId READ hoveredId NOTIFY hoverChanged)
    Q_PROPERTY(QPointF hoverPoint READ hoverPoint NOTIFY hoverChanged)
    Q_PROPERTY(QRectF rubberBand READ rubberBand NOTIFY rubberBandChanged)
    Q_PROPERTY(GroupLoop::FieldLabelModel *labels READ labels CONSTANT)
    Q_PROPERTY(int maxLabels READ maxLabels WRITE setMaxLabels NOTIFY viewChanged)
    Q_PROPERTY(int visibleCount READ visibleCount NOTIFY contentChanged)
    // How far right of a device's centre its label starts: clear of the dot and its selection mark.
    Q_PROPERTY(double labelOffset READ labelOffset NOTIFY viewChanged)
    Q_PROPERTY(QColor floorColor READ floorColor WRITE setFloorColor NOTIFY styleChanged)
    Q_PROPERTY(QColor gridColor READ gridColor WRITE setGridColor NOTIFY styleChanged)
    Q_PROPERTY(QColor wallColor READ wallColor WRITE setWallColor NOTIFY styleChanged)
    Q_PROPERTY(QColor beaconColor READ beaconColor WRITE setBeaconColor NOTIFY styleChanged)
    Q_PROPERTY(QColor selectionColor READ selectionColor WRITE setSelectionColor NOTIFY styleChanged)
    Q_PROPERTY(QColor selectionOutlineColor READ selectionOutlineColor WRITE setSelectionOutlineColor NOTIFY
                   styleChanged)
    Q_PROPERTY(QColor hoverColor READ hoverColor WRITE setHoverColor NOTIFY styleChanged)
    Q_PROPERTY(QColor unknownColor READ unknownColor WRITE setUnknownColor NOTIFY styleChanged)
    Q_PROPERTY(QColor staleColor READ staleColor WRITE setStaleColor NOTIFY styleChanged)
    Q_PROPERTY(QColor flashColor READ flashColor WRITE setFlashColor NOTIFY styleChanged)
    Q_PROPERTY(QColor replayColor READ replayColor WRITE setReplayColor NOTIFY styleChanged)

public:
    static constexpr double MinZoom = 0.5;
    static constexpr double MaxZoom = 40.0;
    static constexpr int FlashMs = 600;

    explicit DeviceFieldItem(QQuickItem *parent = nullptr);

    DeviceStore *store() const { return m_store; }
    void setStore(DeviceStore *store);
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    QPointF pan() const { return m_pan; }
    void setPan(QPointF pan);
    QString hoveredId() const { return m_hoveredId; }
    QPointF hoverPoint() const { return m_hoverPoint; }
    QRectF rubberBand() const { return m_rubberBand; }
    FieldLabelModel *labels() { return &m_labels; }
    int maxLabels() const { return m_maxLabels; }
    void setMaxLabels(int max);
    int visibleCount() const { return m_visibleCount; }

    double labelOffset() const;

    FieldGeometry::View view() const;
    const std::vector<FieldGeometry::Dot> &dots() const { return m_dots; }
    const FieldGeometry::Style &style() const { return m_style; }

    // Zooms by `factor` keeping the room point under `itemPoint` fixed.
    Q_INVOKABLE void zoomAt(QPointF itemPoint, double factor);
    Q_INVOKABLE void resetView();
    // Item position of a device, or (-1, -1) when it is not shown (tests, hover cards).
    Q_INVOKABLE QPointF itemPositionOf(const QString &id) const;
    // Item position of beacon 0..3 (NW, NE, SE, SW) in the current view.
    Q_INVOKABLE QPointF mapBeacon(int beacon) const;

#define GL_FIELD_COLOR(name, Name, member)                                                                   \
    QColor name() const                                                                                      \
    {                                                                                                        \
        return m_style.member;                                                                               \
    }                                                                                                        \
    void set##Name(const QColor &c)                                                                          \
    {                                                                                                        \
        setFieldColor(this, m_style.member, c);                                                              \
    }
    GL_FIELD_COLOR(floorColor, FloorColor, floor)
    GL_FIELD_COLOR(gridColor, GridColor, grid)
    GL_FIELD_COLOR(wallColor, WallColor, wall)
    GL_FIELD_COLOR(beaconColor, BeaconColor, beacon)
    GL_FIELD_COLOR(selectionColor, SelectionColor, selection)
    GL_FIELD_COLOR(selectionOutlineColor, SelectionOutlineColor, selectionOutline)
    GL_FIELD_COLOR(hoverColor, HoverColor, hover)
    GL_FIELD_COLOR(unknownColor, UnknownColor, unknownDevice)
    GL_FIELD_COLOR(staleColor, StaleColor, stale)
    GL_FIELD_COLOR(flashColor, FlashColor, flash)
    GL_FIELD_COLOR(replayColor, ReplayColor, replay)
#undef GL_FIELD_COLOR

Q_SIGNALS:
    void storeChanged();
    void viewChanged();
    void hoverChanged();
    void rubberBandChanged();
    void styleChanged();
    void contentChanged();
    void deviceActivated(const QString &id); // double click

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;

private:
    void rebuildDots();
    void updateHover(QPointF point);
    void updateLabels();
    QString idAt(int dotIndex) const;

    QPointer<DeviceStore> m_store;
    FieldGeometry::Style m_style;
    std::vector<FieldGeometry::Dot> m_dots;
    std::vector<quint16> m_dotIds; // parallel to m_dots
    std::vector<FieldGeometry::Vertex> m_vertices;
    FieldLabelModel m_labels;
    double m_zoom = 1.0;
    QPointF m_pan;
    QString m_hoveredId;
    QPointF m_hoverPoint;
    QRectF m_rubberBand;
    int m_maxLabels = 150;
    int m_visibleCount = 0;
    bool m_staleWhileHidden = false;

    enum class Drag { None, Band, Pan };
    Drag m_drag = Drag::None;
    QPointF m_pressPoint;
    QPointF m_panAtPress;
    Qt::KeyboardModifiers m_pressModifiers;
};

} // namespace GroupLoop
