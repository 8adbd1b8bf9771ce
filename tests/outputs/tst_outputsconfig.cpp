// Outputs files: a full round trip (JSON, then a file), the documented example loads, every
// kind of bad input is refused with "<file>:<field>: <reason>", and --osc-out's HOST:PORT.
#include "outputsconfig.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace GroupLoop;

namespace {
OutputsConfig fullConfig()
{
    OutputsConfig config;
    OscDestination show;
    show.host = QStringLiteral("192.168.1.20");
    show.port = 9000;
    OscDestination local;
    local.host = QStringLiteral("::1");
    local.port = 57120;
    local.defaultScheme = false;
    local.bundles = false;
    config.destinations = {show, local};
    config.maxDatagramBytes = 1200;
    config.midiEnabled = true;
    config.midiPort = QStringLiteral("Midi Through Port-0");

    Mapping tilt;
    tilt.name = QStringLiteral("tilt to CC");
    tilt.source = MappingSource::Roll;
    tilt.inMin = -90.0;
    tilt.inMax = 90.0;
    tilt.outMax = 127.0;
    tilt.target = Mapping::Target::MidiCc;
    tilt.number = QStringLiteral("{index}+20");
    tilt.smoothing = 0.3;
    tilt.deadband = 1.0;
    Mapping tap;
    tap.name = QStringLiteral("taps play notes");
    tap.source = MappingSource::Tap;
    tap.scope = Mapping::Scope::Selection;
    tap.inMin = 0.0;
    tap.inMax = 1.0;
    tap.target = Mapping::Target::MidiNote;
    tap.channel = QStringLiteral("10");
    tap.number = QStringLiteral("{index}+36");
    tap.velocity = 110;
    tap.durationMs = 80;
    Mapping x;
    x.name = QStringLiteral("one device's x");
    x.enabled = false;
    x.source = MappingSource::RoomX;
    x.scope = Mapping::Scope::Device;
    x.device = 0x00ab;
    x.inMin = 0.0;
    x.inMax = 8.0;
    x.invert = true;
    x.curve = Mapping::Curve::Exponential;
    x.curveAmount = -2.5;
    x.maxRateHz = 10.0;
    x.address = QStringLiteral("/x");
    x.oscType = 'i';
    Mapping count;
    count.name = QStringLiteral("crowd");
    count.source = MappingSource::DeviceCount;
    count.inMin = 0.0;
    count.inMax = 50.0;
    count.address = QStringLiteral("/room/count");
    config.mappings = {tilt, tap, x, count};
    return config;
}

QByteArray withMapping(const QByteArray &mapping)
{
    return R"({"format": "grouploop-outputs", "version": 1, "mappings": [)" + mapping + "]}";
}

const QByteArray OscTarget = R"("target": {"kind": "osc", "address": "/a"})";
} // namespace

class TestOutputsConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripsThroughJson();
    void roundTripsThroughAFile();
    void minimalFile();
    void newMappingsDefaultToTheSourceRange();
    void templatesMayBeNumbers();
    void theDocumentedExampleLoads();
    void errorsSayWhere_data();
    void errorsSayWhere();
    void unreadableAndUnwritableFiles();
    void destinationFromText_data();
    void destinationFromText();
};

void TestOutputsConfig::roundTripsThroughJson()
{
    const OutputsConfig config = fullConfig();
    for (const Mapping &mapping : config.mappings)
        QVERIFY2(mapping.validate().isEmpty(), qPrintable(mapping.validate()));
    QString error;
    const auto back = OutputsConfig::fromJson(config.toJson(), QStringLiteral("x.json"), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == config);
}

void TestOutputsConfig::roundTripsThroughAFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("show.json"));
    QString error;
    QVERIFY2(fullConfig().save(path, &error), qPrintable(error));
    const auto loaded = OutputsConfig::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QVERIFY(*loaded == fullConfig());
}

void TestOutputsConfig::minimalFile()
{
    QString error;
    const auto config = OutputsConfig::fromJson(R"({"format": "grouploop-outputs", "version": 1})",
                                                QStringLiteral("m.json"), &error);
    QVERIFY2(config, qPrintable(error));
    QVERIFY(*config == OutputsConfig());
}

void TestOutputsConfig::newMappingsDefaultToTheSourceRange()
{
    QString error;
    const auto config = OutputsConfig::fromJson(withMapping(R"({"source": "pitch", )" + OscTarget + "}"),
                                                QStringLiteral("m.json"), &error);
    QVERIFY2(config, qPrintable(error));
    const Mapping mapping = config->mappings.value(0);
    QCOMPARE(mapping.inMin, -90.0);
    QCOMPARE(mapping.inMax, 90.0);
    QCOMPARE(mapping.scope, Mapping::Scope::All);
    QVERIFY(mapping.enabled);
}

void TestOutputsConfig::templatesMayBeNumbers()
{
    QString error;
    const auto config = OutputsConfig::fromJson(
        withMapping(
            R"({"source": "ax", "target": {"kind": "midi-cc", "channel": 2, "number": "{index} + 20"}})"),
        QStringLiteral("m.json"), &error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->mappings.value(0).channel, QStringLiteral("2"));
    QCOMPARE(config->mappings.value(0).number, QStringLiteral("{index} + 20"));
}

void TestOutputsConfig::theDocumentedExampleLoads()
{
    QFile doc(QStringLiteral(GROUPLOOP_SOURCE_DIR "/docs/outputs.md"));
    QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
    const QString text = QString::fromUtf8(doc.readAll());
    // The first JSON block after the "Outputs files" heading.
    const QRegularExpression block(QStringLiteral("## Outputs files.*?```json\\n(.*?)```"),
                                   QRegularExpression::DotMatchesEverythingOption);
    const auto match = block.match(text);
    QVERIFY(match.hasMatch());
    QString error;
    const auto config
        = OutputsConfig::fromJson(match.captured(1).toUtf8(), QStringLiteral("docs/outputs.md"), &error);
    QVERIFY2(config, qPrintable(error));
    QVERIFY(!config->mappings.isEmpty());
    QVERIFY(!config->destinations.isEmpty());
}

void TestOutputsConfig::errorsSayWhere_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::addRow("not JSON") << QByteArray("{") << "f.json: not valid JSON at offset 1: unterminated object";
    QTest::addRow("not an object") << QByteArray("[]") << "f.json: the top level must be an object";
    QTest::addRow("no format") << QByteArray(R"({"version": 1})") << "f.json:format: missing";
    QTest::addRow("other format") << QByteArray(R"({"format": "x", "version": 1})")
                                  << "f.json:format: \"x\" is not \"grouploop-outputs\"";
    QTest::addRow("no version") << QByteArray(R"({"format": "grouploop-outputs"})")
                                << "f.json:version: missing";
    QTest::addRow("newer version") << QByteArray(R"({"format": "grouploop-outputs", "version": 2})")
                                   << "f.json:version: 2 is newer than this program reads (1)";
    QTest::addRow("unknown top field")
        << QByteArray(R"({"format": "grouploop-outputs", "version": 1, "mapings": []})")
        << "f.json:mapings: unknown field";
    QTest::addRow("port out of range") << QByteArray(
        R"({"format": "grouploop-outputs", "version": 1, "osc": {"destinations": [{"host": "h", "port": 70000}]}})")
                                       << "f.json:osc.destinations[0].port: must be a whole number from 1 to "
                                          "65535";
    QTest::addRow("destination not an object")
        << QByteArray(R"({"format": "grouploop-outputs", "version": 1, "osc": {"destinations": [3]}})")
        << "f.json:osc.destinations[0]: must be an object";
    QTest::addRow("empty host") << QByteArray(
        R"({"format": "grouploop-outputs", "version": 1, "osc": {"destinations": [{"host": " ", "port": 9}]}})")
                                << "f.json:osc.destinations[0].host: is empty";
    QTest::addRow("datagram too small")
        << QByteArray(R"({"format": "grouploop-outputs", "version": 1, "osc": {"maxDatagramBytes": 100}})")
        << "f.json:osc.maxDatagramBytes: must be a whole number from 512 to 65000";
    QTest::addRow("midi port not a string")
        << QByteArray(R"({"format": "grouploop-outputs", "version": 1, "midi": {"port": 1}})")
        << "f.json:midi.port: must be a string";
    QTest::addRow("mappings not a list")
        << QByteArray(R"({"format": "grouploop-outputs", "version": 1, "mappings": {}})")
        << "f.json:mappings: must be a list";
    QTest::addRow("mapping not an object") << withMapping("1") << "f.json:mappings[0]: must be an object";
    QTest::addRow("no source") << withMapping("{" + OscTarget + "}") << "f.json:mappings[0].source: missing";
    QTest::addRow("unknown source")
        << withMapping(R"({"source": "rol", )" + OscTarget + "}")
        << "f.json:mappings[0].source: \"rol\" is not one of ax, ay, az, magnitude, roll, pitch, tap, "
           "room_x, room_y, rssi_nw, rssi_ne, rssi_se, rssi_sw, device_count, mean_motion";
    QTest::addRow("input min not a number")
        << withMapping(R"({"source": "ax", "input": {"min": "0", "max": 1}, )" + OscTarget + "}")
        << "f.json:mappings[0].input.min: must be a number";
    QTest::addRow("input without max")
        << withMapping(R"({"source": "ax", "input": {"min": 0}, )" + OscTarget + "}")
        << "f.json:mappings[0].input.max: missing";
    QTest::addRow("empty input range")
        << withMapping(R"({"source": "ax", "input": {"min": 1, "max": 1}, )" + OscTarget + "}")
        << "f.json:mappings[0].input: min and max must be different numbers";
    QTest::addRow("no target") << withMapping(R"({"source": "ax"})") << "f.json:mappings[0].target: missing";
    QTest::addRow("no target kind") << withMapping(R"({"source": "ax", "target": {"address": "/a"}})")
                                    << "f.json:mappings[0].target.kind: missing";
    QTest::addRow("misspelt target field")
        << withMapping(R"({"source": "ax", "target": {"kind": "osc", "address": "/a", "adress": "/b"}})")
        << "f.json:mappings[0].target.adress: unknown field";
    QTest::addRow("bad address") << withMapping(
        R"({"source": "ax", "target": {"kind": "osc", "address": "a"}})")
                                 << "f.json:mappings[0].target.address: an OSC address starts with '/'";
    QTest::addRow("bad osc type") << withMapping(
        R"({"source": "ax", "target": {"kind": "osc", "address": "/a", "type": "s"}})")
                                  << "f.json:mappings[0].target.type: must be \"f\" or \"i\"";
    QTest::addRow("device scope without device")
        << withMapping(R"({"source": "ax", "scope": "device", )" + OscTarget + "}")
        << "f.json:mappings[0].device: missing";
    QTest::addRow("bad device") << withMapping(R"({"source": "ax", "scope": "device", "device": "xyz", )"
                                               + OscTarget + "}")
                                << "f.json:mappings[0].device: \"xyz\" is not a device id (4 hex digits)";
    QTest::addRow("velocity 200") << withMapping(
        R"({"source": "tap", "target": {"kind": "midi-note", "channel": 1, "note": 60, "velocity": 200}})")
                                  << "f.json:mappings[0].target.velocity: must be a whole number from 1 to "
                                     "127";
    QTest::addRow("second mapping") << withMapping(
        R"({"source": "ax", )" + OscTarget + R"(}, {"source": "ay", "smoothing": 2, )" + OscTarget + "}")
                                    << "f.json:mappings[1].smoothing: must be between 0 and 0.99";
}

void TestOutputsConfig::errorsSayWhere()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!OutputsConfig::fromJson(json, QStringLiteral("f.json"), &why));
    QCOMPARE(why, error);
}

void TestOutputsConfig::unreadableAndUnwritableFiles()
{
    QTemporaryDir dir;
    QString error;
    const QString missing = dir.filePath(QStringLiteral("missing.json"));
    QVERIFY(!OutputsConfig::load(missing, &error));
    QCOMPARE(error, missing + QStringLiteral(": cannot read: No such file or directory"));
    const QString nowhere = dir.filePath(QStringLiteral("no/such/dir/show.json"));
    QVERIFY(!OutputsConfig().save(nowhere, &error));
    QVERIFY2(error.startsWith(nowhere + QStringLiteral(": cannot write: ")), qPrintable(error));

    QFile big(dir.filePath(QStringLiteral("big.json")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(OutputsConfig::MaxFileBytes + 10, ' '));
    big.close();
    QVERIFY(!OutputsConfig::load(big.fileName(), &error));
    QVERIFY2(error.contains(QStringLiteral("more than the 4194304 allowed")), qPrintable(error));
}

void TestOutputsConfig::destinationFromText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host"); // empty: refused
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error");
    QTest::addRow("v4") << "127.0.0.1:9000"
                        << "127.0.0.1" << 9000 << QString();
    QTest::addRow("name") << "show-mac.local:57120"
                          << "show-mac.local" << 57120 << QString();
    QTest::addRow("v6") << "[::1]:8000"
                        << "::1" << 8000 << QString();
    QTest::addRow("no port") << "localhost" << QString() << 0 << "\"localhost\": expected HOST:PORT";
    QTest::addRow("port 0") << "h:0" << QString() << 0 << "\"h:0\": the port must be 1..65535";
    QTest::addRow("port text") << "h:x" << QString() << 0 << "\"h:x\": the port must be 1..65535";
    QTest::addRow("bare v6") << "::1:9000" << QString() << 0
                             << "\"::1:9000\": write an IPv6 address in brackets: [::1]:9000";
    QTest::addRow("empty host") << "[]:9000" << QString() << 0 << "\"[]:9000\": the host is empty";
}

void TestOutputsConfig::destinationFromText()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, error);
    QString why;
    const auto destination = OscDestination::fromText(text, &why);
    if (host.isEmpty()) {
        QVERIFY(!destination);
        QCOMPARE(why, error);
        return;
    }
    QVERIFY2(destination, qPrintable(why));
    QCOMPARE(destination->host, host);
    QCOMPARE(destination->port, quint16(port));
    QVERIFY(destination->defaultScheme && destination->mappings && destination->bundles);
    QCOMPARE(destination->label(), text);
}

QTEST_APPLESS_MAIN(TestOutputsConfig)
#include "tst_outputsconfig.moc"
