// SeriesPlotItem: a live plot of one device's last 30 s, one scene-graph geometry node with
// per-vertex colour (line segments), decimated to one min/max stroke per pixel column.
// `kind` Acceleration plots ax/ay/az in g (-2..2); Beacons plots the four RSSI in dBm.
#pragma once

#include "plotdecimation.h"

#include "devicestore.h"
#include <QColor>

#include <QPointer>
#include <QQuickItem>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class SeriesPlotItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(SeriesPlot)
    Q_PROPERTY(GroupLoop::DeviceStore *store READ store WRITE setStore NOTIFY storeChanged)
    Q_PROPERTY(QString deviceId READ deviceId WRITE setDeviceId NOTIFY deviceIdChanged)
    Q_PROPERTY(Kind kind READ kind WRITE setKind NOTIFY kindChanged)
    Q_PROPERTY(int windowMs READ windowMs WRITE setWindowMs NOTIFY windowMsChanged)
    Q_PROPERTY(QList<QColor> colors READ colors WRITE setColors NOTIFY colorsChanged)
    Q_PROPERTY(double minValue READ minValue NOTIFY kindChanged)
    Q_PROPERTY(double maxValue READ maxValue NOTIFY kindChanged)
    Q_PROPERTY(int sampleCount READ sampleCount NOTIFY sampled)

public:
    enum Kind { Acceleration, Beacons };
    Q_ENUM(Kind)

    explicit SeriesPlotItem(QQuickItem *parent = nullptr);

    DeviceStore *store() const { return m_store; }
    void setStore(DeviceStore *store);
    QString deviceId() const { return m_deviceId; }
    void setDeviceId(const QString &id);
    Kind kind() const { return m_kind; }
    void setKind(Kind kind);
    int windowMs() const { return m_windowMs; }
    void setWindowMs(int ms);
    QList<QColor> colors() const { return m_colors; }
    void setColors(const QList<QColor> &colors);
    double minValue() const { return m_kind == Acceleration ? -2.0 : -100.0; }
    double maxValue() const { return m_kind == Acceleration ? 2.0 : -40.0; }
    int sampleCount() const { return m_sampleCount; }

    int seriesCount() const { return m_kind == Acceleration ? 3 : 4; }
    // The series of the device's history in this plot's units (pure given the store).
    std::vector<std::vector<PlotDecimation::Sample>> series(qint64 fromMs) const;

Q_SIGNALS:
    void storeChanged();
    void deviceIdChanged();
    void kindChanged();
    void windowMsChanged();
    void colorsChanged();
    void sampled();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *) override;

private:
    QPointer<DeviceStore> m_store;
    QString m_deviceId;
    Kind m_kind = Acceleration;
    int m_windowMs = 30000;
    QList<QColor> m_colors;
    int m_sampleCount = 0;
};

} // namespace GroupLoop
