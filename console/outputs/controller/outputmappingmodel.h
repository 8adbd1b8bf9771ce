// OutputMappingModel: the Outputs view's mapping table, one row per mapping of the
// OutputsEngine, with a live meter of the value each sent last (its 0..1 form, before the
// output range), how many outputs it feeds and why it does not run, if it does not. The
// meters move every tick; refreshMeters() tells the view at the view's own pace (10 Hz).
#pragma once

#include "mapping.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace GroupLoop {

class OutputsEngine;

class OutputMappingModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by the OutputsController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        EnabledRole,
        SourceRole,
        ScopeRole,
        TargetRole, // "OSC /tilt/{id} f", "MIDI ch 1 CC {index}+20", "MIDI ch 10 note {index}+36"
        TransformRole, // "-90..90 -> 0..1, smoothing 0.3"
        MeterRole, // 0..1, the last value sent
        HasValueRole,
        ValueRole, // the last value sent, as text with the device it came from
        OutputsRole,
        SentRole,
        ErrorRole
    };
    static constexpr int MeterHz = 10;

    explicit OutputMappingModel(OutputsEngine *engine, QObject *parent = nullptr);

    static QString targetText(const Mapping &mapping);
    static QString transformText(const Mapping &mapping);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    void refreshMeters();

    QPointer<OutputsEngine> m_engine;
    QList<Mapping> m_mappings; // a copy: MappingEngine::mappings() builds a list
    QTimer m_meters;
};

} // namespace GroupLoop
