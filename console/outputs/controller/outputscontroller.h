// OutputsController: the console's outputs (docs/outputs.md), as the Outputs view and the
// command line see them. Owns the OutputsEngine, fed on every DeviceStore tick with what the
// store knows (its beacon position estimate included), OSC in wired to the command controller
// and the selection (ShowControlBridge), and the outputs file: every change is written to the
// file in use, and the file in use is remembered and loaded again at the next start.
#pragma once

#include "outputsengine.h"
#include "snapshotbuilder.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

Q_MOC_INCLUDE("outputdestinationmodel.h")
Q_MOC_INCLUDE("outputmappingmodel.h")

namespace GroupLoop {

class AppSettings;
class CommandController;
class DeviceStore;
class OscCommandReceiver;
class OutputDestinationModel;
class OutputMappingModel;
class RegistryModel;
class ShowControlBridge;

class OutputsController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the console")
    Q_PROPERTY(GroupLoop::OutputDestinationModel *destinations READ destinations CONSTANT)
    Q_PROPERTY(GroupLoop::OutputMappingModel *mappings READ mappings CONSTANT)
    Q_PROPERTY(QString fileName READ fileName NOTIFY fileChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
    Q_PROPERTY(bool midiEnabled READ midiEnabled NOTIFY midiChanged)
    Q_PROPERTY(bool midiOpen READ midiOpen NOTIFY midiChanged)
    Q_PROPERTY(QString midiPort READ midiPort NOTIFY midiChanged)
    Q_PROPERTY(QString midiStatus READ midiStatus NOTIFY midiChanged)
    Q_PROPERTY(bool oscInListening READ oscInListening NOTIFY oscInChanged)
    Q_PROPERTY(int oscInPort READ oscInPort NOTIFY oscInChanged)
    Q_PROPERTY(QString oscInStatus READ oscInStatus NOTIFY oscInChanged)
    Q_PROPERTY(QString statsText READ statsText NOTIFY statsChanged)
    Q_PROPERTY(QStringList sourceNames READ sourceNames CONSTANT)

public:
    using MidiSinkFactory = std::function<std::unique_ptr<MidiSink>(const QString &port)>;
    using MidiPortLister = std::function<QStringList(QString *error)>;
    static QString settingsFileKey() { return QStringLiteral("outputs/file"); }
    static QString settingsOscInKey() { return QStringLiteral("outputs/oscInPort"); }

    OutputsController(DeviceStore *store, CommandController *commands, RegistryModel *registry,
                      AppSettings *settings, QObject *parent = nullptr);
    ~OutputsController() override;

    OutputsEngine *engine() { return &m_engine; }
    OscCommandReceiver *oscIn() const { return m_oscIn; }
    OutputDestinationModel *destinations() const { return m_destinationModel; }
    OutputMappingModel *mappings() const { return m_mappingModel; }

    // The MIDI backend: RtMidi by default; tests inject a fake (no /dev/snd/seq here).
    void setMidiBackend(MidiSinkFactory factory, MidiPortLister lister);
    // Where changes go while no file was loaded or saved (main(): the config folder's
    // outputs.json). Empty: nothing is written until the user saves.
    void setDefaultFile(const QString &path) { m_defaultFile = path; }
    // Start-up: the file used last (settings), else the default file if it exists; OSC in as
    // it was left. A file that does not load is reported (lastError, problem) and left alone.
    void restore();
    // --osc-out: for this run only, never written to the file.
    void addCommandLineDestination(const OscDestination &destination);

    QString fileName() const { return m_file; }
    QString lastError() const { return m_lastError; }
    bool midiEnabled() const { return m_engine.midiEnabled(); }
    bool midiOpen() const { return m_engine.midi().isOpen(); }
    QString midiPort() const { return m_engine.midiPort(); }
    QString midiStatus() const;
    bool oscInListening() const;
    int oscInPort() const;
    QString oscInStatus() const;
    QString statsText() const;
    QStringList sourceNames() const;

    // The whole set-up from an outputs file; false with lastError ("<file>:<field>: <reason>").
    Q_INVOKABLE bool load(const QString &path);
    // Writes the set-up there and uses that file from now on.
    Q_INVOKABLE bool save(const QString &path);
    // "HOST:PORT"; false with lastError.
    Q_INVOKABLE bool addDestination(const QString &hostPort);
    Q_INVOKABLE void removeDestination(int row);
    // option: "defaultScheme", "mappings" or "bundles".
    Q_INVOKABLE void setDestinationOption(int row, const QString &option, bool on);
    // Empty port: a virtual port named GroupLoop. False when it did not open (see midiStatus).
    Q_INVOKABLE bool enableMidi(const QString &port);
    Q_INVOKABLE void disableMidi();
    Q_INVOKABLE QStringList midiPorts();
    Q_INVOKABLE bool listenOscIn(int port);
    Q_INVOKABLE void stopOscIn();

    // Mappings as the file writes them (a JSON object as a map), for the editor.
    Q_INVOKABLE QVariantMap newMapping(const QString &source) const;
    Q_INVOKABLE QVariantMap mappingAt(int row) const;
    // Return "" when done, else the problem as "<field>: <reason>" (nothing changes).
    Q_INVOKABLE QString addMapping(const QVariantMap &mapping);
    Q_INVOKABLE QString updateMapping(int row, const QVariantMap &mapping);
    Q_INVOKABLE void removeMapping(int row);
    Q_INVOKABLE void setMappingEnabled(int row, bool enabled);
    // {unit, min, max, roomLevel} of a source, for the editor's defaults.
    Q_INVOKABLE QVariantMap sourceInfo(const QString &source) const;

Q_SIGNALS:
    void fileChanged();
    void lastErrorChanged();
    void midiChanged();
    void oscInChanged();
    void statsChanged();
    // For the console's log: a file that failed, a destination's error, a refused cue.
    void problem(const QString &category, const QString &text);
    void info(const QString &category, const QString &text);

private:
    void onTick();
    void setLastError(const QString &error);
    void apply(const OutputsConfig &config);
    void applyDestinations();
    void changed(); // writes the file in use
    void useFile(const QString &path); // loaded or saved: the file in use, remembered
    OutputsConfig fileConfig() const;
    std::optional<Mapping> mappingFrom(const QVariantMap &map, QString *error) const;
    void setMappingList(const QList<Mapping> &mappings);

    QPointer<DeviceStore> m_store;
    QPointer<AppSettings> m_settings;
    OutputsEngine m_engine;
    SnapshotBuilder m_builder;
    OscCommandReceiver *m_oscIn;
    ShowControlBridge *m_bridge;
    OutputDestinationModel *m_destinationModel;
    OutputMappingModel *m_mappingModel;
    QList<OscDestination> m_fileDestinations;
    QList<OscDestination> m_commandLineDestinations;
    MidiSinkFactory m_midiFactory;
    MidiPortLister m_midiPorts;
    QString m_file;
    QString m_defaultFile;
    bool m_writable = false; // false after the file in use failed to load: never overwrite it
    QString m_lastError;
};

} // namespace GroupLoop
