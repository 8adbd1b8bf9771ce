#include "devicefielditem.h"

#include "devicestore.h"
#include "roommodel.h"

#include "vertexcolornode.h"

#include <QSGGeometryNode>
#include <QSGVertexColorMaterial>

#include <algorithm>
#include <cstring>

namespace GroupLoop {

static_assert(sizeof(FieldGeometry::Vertex) == sizeof(QSGGeometry::ColoredPoint2D),
              "FieldGeometry::Vertex must match QSGGeometry::ColoredPoint2D");

namespace {
constexpr double ClickSlopPx = 4.0;
constexpr double HoverSlopPx = 4.0;
} // namespace

DeviceFieldItem::DeviceFieldItem(QQuickItem *parent)
    : QQuickItem(parent)
{
    setFlag(ItemHasContents, true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton | Qt::MiddleButton);
    setAcceptHoverEvents(true);
    setClip(true);
    connect(this, &QQuickItem::visibleChanged, this, [this] {
        if (isVisible() && m_staleWhileHidden)
            rebuildDots();
    });
}

void DeviceFieldItem::setStore(DeviceStore *store)
{
    if (store == m_store)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store) {
        connect(m_store, &DeviceStore::ticked, this, &DeviceFieldItem::rebuildDots);
        connect(m_store, &DeviceStore::selectionChanged, this, &DeviceFieldItem::rebuildDots);
        connect(m_store, &DeviceStore::ledsChanged, this, &DeviceFieldItem::rebuildDots);
    }
    rebuildDots();
    Q_EMIT storeChanged();
}

void DeviceFieldItem::setZoom(double zoom)
{
    zoom = std::clamp(zoom, MinZoom, MaxZoom);
    if (qFuzzyCompare(zoom, m_zoom))
        return;
    m_zoom = zoom;
    Q_EMIT viewChanged();
    updateLabels();
    update();
}

void DeviceFieldItem::setPan(QPointF pan)
{
    if (pan == m_pan)
        return;
    m_pan = pan;
    Q_EMIT viewChanged();
    updateLabels();
    update();
}

void DeviceFieldItem::setMaxLabels(int max)
{
    if (max == m_maxLabels)
        return;
    m_maxLabels = max;
    Q_EMIT viewChanged();
    updateLabels();
}

FieldGeometry::View DeviceFieldItem::view() const
{
    return FieldGeometry::View::fit(size(), m_zoom, m_pan);
}

void DeviceFieldItem::zoomAt(QPointF itemPoint, double factor)
{
    const FieldGeometry::View before = view();
    const QPointF anchor = before.toRoom(itemPoint);
    const double newZoom = std::clamp(m_zoom * factor, MinZoom, MaxZoom);
    if (qFuzzyCompare(newZoom, m_zoom))
        return;
    m_zoom = newZoom;
    // Keep `anchor` under the cursor: shift the pan by where it moved to, in room units.
    const FieldGeometry::View after = view();
    m_pan += (after.toItem(anchor) - itemPoint) / after.scale;
    Q_EMIT viewChanged();
    updateLabels();
    update();
}

void DeviceFieldItem::resetView()
{
    m_zoom = 1.0;
    m_pan = {};
    Q_EMIT viewChanged();
    updateLabels();
    update();
}

QPointF DeviceFieldItem::itemPositionOf(const QString &id) const
{
    const auto value = SensorFrame::idFromText(id);
    if (!value)
        return {-1, -1};
    const auto it = std::find(m_dotIds.begin(), m_dotIds.end(), *value);
    if (it == m_dotIds.end())
        return {-1, -1};
    return view().toItem(m_dots[size_t(it - m_dotIds.begin())].room);
}

QPointF DeviceFieldItem::mapBeacon(int beacon) const
{
    return view().toItem(RoomModel::beaconPosition(qBound(0, beacon, 3)));
}

QString DeviceFieldItem::idAt(int dotIndex) const
{
    return dotIndex < 0 ? QString() : SensorFrame::idToText(m_dotIds[size_t(dotIndex)]);
}

void DeviceFieldItem::rebuildDots()
{
    // Hidden (another view is shown): no work and no frames; catch up when shown again.
    if (!isVisible()) {
        m_staleWhileHidden = true;
        return;
    }
    m_staleWhileHidden = false;
    const std::vector<FieldGeometry::Dot> previous = std::move(m_dots);
    m_dots.clear();
    m_dotIds.clear();
    if (m_store) {
        const auto &devices = m_store->devices();
        m_dots.reserve(devices.size());
        m_dotIds.reserve(devices.size());
        const qint64 now = m_store->lastTickMs();
        int unplaced = 0;
        for (const DeviceState &d : devices) {
            if (!m_store->isShown(d))
                continue;
            FieldGeometry::Dot dot;
            dot.room = d.hasPosition ? d.position : FieldGeometry::trayPosition(unplaced++);
            dot.colour = m_store->ledColour(d.id);
            dot.selected = m_store->isSelected(d.id);
            dot.stale = m_store->isStale(d);
            dot.hovered = d.idText == m_hoveredId;
            dot.replayed = m_store->isReplayOnly(d);
            const qint64 sinceTap = now - d.lastTapMs;
            dot.flash = sinceTap < FlashMs ? float(1.0 - double(sinceTap) / FlashMs) : 0.0f;
            m_dots.push_back(dot);
            m_dotIds.push_back(d.id);
        }
    }
    // Repaint only when something visible changed: an idle field costs no frames.
    if (FieldGeometry::sameDots(previous, m_dots))
        return;
    updateLabels();
    Q_EMIT contentChanged();
    update();
}

void DeviceFieldItem::updateLabels()
{
    const FieldGeometry::View v = view();
    const QRectF visible(QPointF(0, 0), size());
    QList<FieldLabelModel::Label> labels;
    int inView = 0;
    for (size_t i = 0; i < m_dots.size(); ++i) {
        const QPointF p = v.toItem(m_dots[i].room);
        if (!visible.contains(p))
            continue;
        ++inView;
        if (labels.size() <= m_maxLabels)
            labels.append({SensorFrame::idToText(m_dotIds[i]), p, m_dots[i].replayed});
    }
    m_visibleCount = inView;
    // Labels only when they fit: few devices in view (zoom in to get there).
    if (inView > m_maxLabels)
        labels.clear();
    m_labels.setLabels(labels);
}

void DeviceFieldItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        updateLabels();
        update();
        Q_EMIT viewChanged(); // the fit, and with it the scale, follows the size
    }
}

double DeviceFieldItem::labelOffset() const
{
    return FieldGeometry::selectionMarkReach(FieldGeometry::dotRadiusFor(view().scale)) + 3.0;
}

QSGNode *DeviceFieldItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    FieldGeometry::Style style = m_style;
    style.dotRadiusPx = FieldGeometry::dotRadiusFor(view().scale);
    FieldGeometry::build(m_dots, view(), style, m_vertices);
    return updateVertexColorNode(oldNode, m_vertices);
}

void DeviceFieldItem::mousePressEvent(QMouseEvent *event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    m_pressPoint = event->position();
    m_pressModifiers = event->modifiers();
    m_panAtPress = m_pan;
    const bool panButton = event->button() == Qt::MiddleButton || event->button() == Qt::RightButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::AltModifier));
    m_drag = panButton ? Drag::Pan : Drag::Band;
    event->accept();
}

void DeviceFieldItem::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF delta = event->position() - m_pressPoint;
    if (m_drag == Drag::Pan) {
        setPan(m_panAtPress - delta / view().scale);
    } else if (m_drag == Drag::Band
               && (std::abs(delta.x()) > ClickSlopPx || std::abs(delta.y()) > ClickSlopPx)) {
        m_rubberBand = QRectF(m_pressPoint, event->position()).normalized();
        Q_EMIT rubberBandChanged();
    }
    event->accept();
}

void DeviceFieldItem::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = std::exchange(m_drag, Drag::None);
    event->accept();
    if (drag != Drag::Band || !m_store)
        return;
    const bool add = m_pressModifiers & Qt::ShiftModifier;
    const bool toggle = m_pressModifiers & Qt::ControlModifier;
    const DeviceStore::SelectMode mode = toggle ? DeviceStore::SelectMode::Toggle
        : add                                   ? DeviceStore::SelectMode::Add
                                                : DeviceStore::SelectMode::Replace;
    if (!m_rubberBand.isNull()) {
        QList<quint16> ids;
        for (int i : FieldGeometry::dotsInRect(m_dots, view(), m_rubberBand))
            ids << m_dotIds[size_t(i)];
        m_store->select(ids, mode);
        m_rubberBand = {};
        Q_EMIT rubberBandChanged();
        return;
    }
    const int hit = FieldGeometry::hitTest(m_dots, view(), event->position(),
                                           FieldGeometry::dotRadiusFor(view().scale) + HoverSlopPx);
    if (hit < 0) {
        if (mode == DeviceStore::SelectMode::Replace)
            m_store->clearSelection();
        return;
    }
    m_store->select({m_dotIds[size_t(hit)]}, mode);
    m_store->setCurrentId(idAt(hit));
}

void DeviceFieldItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    const int hit = FieldGeometry::hitTest(m_dots, view(), event->position(),
                                           FieldGeometry::dotRadiusFor(view().scale) + HoverSlopPx);
    if (hit >= 0)
        Q_EMIT deviceActivated(idAt(hit));
    event->accept();
}

void DeviceFieldItem::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0.0)
        zoomAt(event->position(), std::pow(1.2, steps));
    event->accept();
}

void DeviceFieldItem::hoverMoveEvent(QHoverEvent *event)
{
    updateHover(event->position());
}

void DeviceFieldItem::hoverLeaveEvent(QHoverEvent *)
{
    if (m_hoveredId.isEmpty())
        return;
    m_hoveredId.clear();
    Q_EMIT hoverChanged();
    rebuildDots();
}

void DeviceFieldItem::updateHover(QPointF point)
{
    const int hit = FieldGeometry::hitTest(m_dots, view(), point,
                                           FieldGeometry::dotRadiusFor(view().scale) + HoverSlopPx);
    const QString id = idAt(hit);
    m_hoverPoint = point;
    if (id != m_hoveredId) {
        m_hoveredId = id;
        rebuildDots();
    }
    Q_EMIT hoverChanged();
}

} // namespace GroupLoop
