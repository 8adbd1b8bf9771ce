#include "seriesplotitem.h"

#include "devicestore.h"

#include <QSGGeometryNode>
#include <QSGVertexColorMaterial>

namespace GroupLoop {

SeriesPlotItem::SeriesPlotItem(QQuickItem *parent)
    : QQuickItem(parent)
    , m_colors {QColor(220, 60, 60), QColor(40, 160, 70), QColor(50, 110, 230), QColor(200, 140, 20)}
{
    setFlag(ItemHasContents, true);
    setClip(true);
}

void SeriesPlotItem::setStore(DeviceStore *store)
{
    if (store == m_store)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store)
        connect(m_store, &DeviceStore::ticked, this, [this] {
            if (!m_deviceId.isEmpty() && isVisible())
                update();
        });
    update();
    Q_EMIT storeChanged();
}

void SeriesPlotItem::setDeviceId(const QString &id)
{
    if (id == m_deviceId)
        return;
    m_deviceId = id;
    update();
    Q_EMIT deviceIdChanged();
}

void SeriesPlotItem::setKind(Kind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    update();
    Q_EMIT kindChanged();
}

void SeriesPlotItem::setWindowMs(int ms)
{
    ms = qMax(1000, ms);
    if (ms == m_windowMs)
        return;
    m_windowMs = ms;
    update();
    Q_EMIT windowMsChanged();
}

void SeriesPlotItem::setColors(const QList<QColor> &colors)
{
    if (colors == m_colors)
        return;
    m_colors = colors;
    update();
    Q_EMIT colorsChanged();
}

std::vector<std::vector<PlotDecimation::Sample>> SeriesPlotItem::series(qint64 fromMs) const
{
    std::vector<std::vector<PlotDecimation::Sample>> out(static_cast<size_t>(seriesCount()));
    const auto id = SensorFrame::idFromText(m_deviceId);
    const DeviceState *d = (m_store && id) ? m_store->device(*id) : nullptr;
    if (!d)
        return out;
    const std::vector<HistorySample> history = d->history.since(fromMs);
    for (auto &s : out)
        s.reserve(history.size());
    for (const HistorySample &h : history) {
        if (m_kind == Acceleration) {
            out[0].push_back({h.atMs, SensorFrame::byteToAccel(h.ax), true});
            out[1].push_back({h.atMs, SensorFrame::byteToAccel(h.ay), true});
            out[2].push_back({h.atMs, SensorFrame::byteToAccel(h.az), true});
        } else {
            for (int b = 0; b < 4; ++b) {
                const quint8 v = h.beacons[size_t(b)];
                out[size_t(b)].push_back({h.atMs, SensorFrame::byteToRssi(v), v != 0});
            }
        }
    }
    return out;
}

QSGNode *SeriesPlotItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    auto *node = static_cast<QSGGeometryNode *>(oldNode);
    if (!node) {
        node = new QSGGeometryNode;
        auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0);
        geometry->setDrawingMode(QSGGeometry::DrawLines);
        geometry->setLineWidth(1.0f);
        geometry->setVertexDataPattern(QSGGeometry::StreamPattern);
        node->setGeometry(geometry);
        node->setFlag(QSGNode::OwnsGeometry);
        node->setMaterial(new QSGVertexColorMaterial);
        node->setFlag(QSGNode::OwnsMaterial);
    }
    const qint64 to = m_store ? m_store->lastTickMs() : 0;
    const qint64 from = to - m_windowMs;
    const int columns = qMax(1, int(width()));
    const double lo = minValue(), hi = maxValue();
    const double h = height();
    auto yOf = [&](double v) { return float(h - (qBound(lo, v, hi) - lo) / (hi - lo) * h); };
    auto xOf = [&](double c) { return float((c + 0.5) * width() / columns); };

    std::vector<QSGGeometry::ColoredPoint2D> vertices;
    int samples = 0;
    const auto all = series(from);
    for (size_t s = 0; s < all.size(); ++s) {
        samples += int(all[s].size());
        const QColor c = m_colors.value(int(s), QColor(Qt::gray));
        const auto segs = PlotDecimation::segments(PlotDecimation::minMax(all[s], from, to, columns));
        for (const auto &seg : segs) {
            QSGGeometry::ColoredPoint2D a, b;
            a.set(xOf(seg.x1), yOf(seg.y1), uchar(c.red()), uchar(c.green()), uchar(c.blue()), 255);
            b.set(xOf(seg.x2), yOf(seg.y2), uchar(c.red()), uchar(c.green()), uchar(c.blue()), 255);
            vertices.push_back(a);
            vertices.push_back(b);
        }
    }
    QSGGeometry *geometry = node->geometry();
    geometry->allocate(int(vertices.size()));
    if (!vertices.empty())
        memcpy(geometry->vertexData(), vertices.data(),
               vertices.size() * sizeof(QSGGeometry::ColoredPoint2D));
    node->markDirty(QSGNode::DirtyGeometry);
    if (samples != m_sampleCount) {
        m_sampleCount = samples;
        QMetaObject::invokeMethod(this, &SeriesPlotItem::sampled, Qt::QueuedConnection);
    }
    return node;
}

} // namespace GroupLoop
