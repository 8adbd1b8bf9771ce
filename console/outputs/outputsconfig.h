// OutputsConfig: everything the outputs do, as one versioned JSON file (docs/outputs.md,
// "Outputs files"): OSC destinations, the MIDI port, the mappings. Loading is all or nothing:
// the first problem comes back as "<file>:<field>: <reason>" and nothing is changed.
#pragma once

#include "mapping.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace GroupLoop {

struct OscDestination
{
    QString host;
    quint16 port = 0;
    bool defaultScheme = true; // the /grouploop/<id>/... stream
    bool mappings = true; // the mappings' OSC outputs
    bool bundles = true; // false: one message per datagram, for receivers that do not unpack bundles

    QString label() const; // host:port, [v6]:port
    // "HOST:PORT" or "[IPv6]:PORT" (the console's --osc-out); nullopt with *error otherwise.
    static std::optional<OscDestination> fromText(const QString &text, QString *error);
    friend bool operator==(const OscDestination &a, const OscDestination &b)
    {
        return a.host == b.host && a.port == b.port && a.defaultScheme == b.defaultScheme
            && a.mappings == b.mappings && a.bundles == b.bundles;
    }
};

struct OutputsConfig
{
    static constexpr int CurrentVersion = 1;
    static constexpr qsizetype MaxFileBytes = 4 * 1024 * 1024;
    static constexpr int MaxDestinations = 32;
    static constexpr int MaxMappings = 1000;
    static QString formatName() { return QStringLiteral("grouploop-outputs"); }

    QList<OscDestination> destinations;
    int maxDatagramBytes = 1400; // Osc::DatagramPacker::DefaultMaxBytes
    bool midiEnabled = false;
    QString midiPort; // empty: a virtual port named "GroupLoop"; else an existing port's name
    QList<Mapping> mappings;

    QByteArray toJson() const; // indented, ends with a newline
    // `source` names the file in errors ("show.json:mappings[2].input.min: must be a number").
    static std::optional<OutputsConfig> fromJson(const QByteArray &json, const QString &source,
                                                 QString *error);
    static std::optional<OutputsConfig> load(const QString &path, QString *error);
    // Atomic (QSaveFile): a failed save leaves the old file as it was.
    bool save(const QString &path, QString *error) const;

    friend bool operator==(const OutputsConfig &a, const OutputsConfig &b)
    {
        return a.destinations == b.destinations && a.maxDatagramBytes == b.maxDatagramBytes
            && a.midiEnabled == b.midiEnabled && a.midiPort == b.midiPort && a.mappings == b.mappings;
    }
};

} // namespace GroupLoop
