// Rollouts end to end, as docs/ota.md runs them: grouploop-relay with a firmware folder, and
// grouploop-sim devices that get ota:<url>, download the image from the relay, reboot and come
// back. Good devices end updated with the whole image counted; --ota-fail-rate devices end
// failed with a reason; cancel stops what was not sent; bad requests get a 4xx and one line.
#include "network.h"
#include "programs.h"
#include "relayprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace GroupLoop;
using namespace GroupLoop::Testing;

namespace {

const QByteArray Token = "ota-token";
constexpr qint64 ImageBytes = 1200 * 1024; // a typical ESP32 application image

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

Reply request(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
              const QByteArray &token = Token)
{
    QByteArray head = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.isEmpty())
        head += "Authorization: Bearer " + token + "\r\n";
    if (!body.isNull())
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    const QByteArray answer = exchange(QStringLiteral("127.0.0.1"), port, head + "\r\n" + body);
    Reply reply;
    const qsizetype end = answer.indexOf("\r\n\r\n");
    if (answer.startsWith("HTTP/1.1 ") && end > 0) {
        reply.status = answer.mid(9, 3).toInt();
        reply.body = answer.mid(end + 4);
    }
    return reply;
}

QByteArray image(qint64 bytes)
{
    QByteArray data(bytes, Qt::Uninitialized);
    QRandomGenerator generator(15);
    for (char &c : data)
        c = char(generator.bounded(256));
    return data;
}

// A relay allowing ota with a firmware folder holding app.bin, and a swarm against it.
class Rig
{
public:
    bool start(int devices, const QStringList &simArguments = {}, const QStringList &relayArguments = {})
    {
        if (!m_folder.isValid())
            return false;
        QFile file(m_folder.filePath(u"app.bin"_qs));
        if (!file.open(QIODevice::WriteOnly) || file.write(image(ImageBytes)) != ImageBytes)
            return false;
        file.close();
        RelayProcess::Options options;
        options.arguments = QStringList {u"--token"_qs,     QString::fromLatin1(Token),
                                         u"--allow-ota"_qs, u"--firmware-dir"_qs,
                                         m_folder.path(),   u"--log-level"_qs,
                                         u"warning"_qs}
            + relayArguments;
        QString error;
        if (!relay.start(options, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        if (devices == 0)
            return true;
        m_sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_sim.setStandardOutputFile(QProcess::nullDevice());
        m_sim.start(simBinary(),
                    QStringList {u"--url"_qs, relay.url().toString(), u"--devices"_qs,
                                 QString::number(devices), u"--hz"_qs, u"5"_qs, u"--seed"_qs, u"15"_qs}
                        + simArguments);
        return m_sim.waitForStarted() && waitForDevices(devices);
    }
    ~Rig()
    {
        m_sim.kill();
        m_sim.waitForFinished(5000);
    }

    bool waitForDevices(int devices)
    {
        return QTest::qWaitFor(
            [&] {
                return QJsonDocument::fromJson(httpGetWithToken("/devices")).object().value(u"count").toInt()
                    == devices;
            },
            20000);
    }
    QByteArray httpGetWithToken(const QByteArray &path) { return request(relay.port(), "GET", path).body; }

    // Starts a rollout; its id, or empty (with the refusal in the test log).
    QString rollout(const QJsonObject &body)
    {
        const Reply reply
            = request(relay.port(), "POST", "/ota", QJsonDocument(body).toJson(QJsonDocument::Compact));
        if (reply.status != 201)
            qWarning("POST /ota: %d %s", reply.status, reply.body.constData());
        return reply.status == 201 ? reply.json().value(u"id").toString() : QString();
    }
    // Polls GET /ota/<id> until the rollout has nothing left to follow.
    QJsonObject waitForEnd(const QString &id, int timeoutMs = 60000)
    {
        QJsonObject state;
        (void)QTest::qWaitFor( // the caller checks the state it returns
            [&] {
                state = QJsonDocument::fromJson(httpGetWithToken("/ota/" + id.toLatin1())).object();
                const QJsonObject counts = state.value(u"counts").toObject();
                return state.value(u"state").toString() != u"running"
                    && counts.value(u"sent").toInt() + counts.value(u"downloading").toInt()
                        + counts.value(u"rebooting").toInt()
                    == 0;
            },
            timeoutMs);
        return state;
    }

    QString folder() const { return m_folder.path(); }
    RelayProcess relay;

private:
    QTemporaryDir m_folder;
    QProcess m_sim;
};

QJsonObject rolloutBody(const QString &firmware, int batch, double timeoutS)
{
    return QJsonObject {{u"firmware"_qs, firmware},
                        {u"targets"_qs, QJsonArray {u"all"_qs}},
                        {u"batch"_qs, batch},
                        {u"timeout_s"_qs, timeoutS}};
}

} // namespace

class TestOtaRollout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fiftyDevicesInBatchesOfTen();
    void failingDevicesEndFailedWithReasons();
    void cancelStopsWhatWasNotSent();
    void uploadThenRollOut();
    void refusals_data();
    void refusals();
    void withoutAllowOtaIsForbidden();
    void firmwareServedToAnyone();
    void cleanupTestCase() { m_refusalRig.reset(); }

private:
    std::unique_ptr<Rig> m_refusalRig; // one relay for every refusal row: a refusal changes nothing
};

void TestOtaRollout::fiftyDevicesInBatchesOfTen()
{
    Rig rig;
    QVERIFY(rig.start(50));
    const QString id = rig.rollout(rolloutBody(u"app.bin"_qs, 10, 30));
    QVERIFY(!id.isEmpty());
    const QJsonObject result = rig.waitForEnd(id);
    QCOMPARE(result.value(u"state").toString(), u"done"_qs);
    QCOMPARE(result.value(u"total_bytes").toInteger(), ImageBytes);
    QCOMPARE(result.value(u"counts").toObject().value(u"updated").toInt(), 50);
    const QJsonArray devices = result.value(u"devices").toArray();
    QCOMPARE(devices.size(), 50);
    for (const QJsonValue &device : devices) {
        QCOMPARE(device[u"state"].toString(), u"updated"_qs);
        QCOMPARE(device[u"bytes"].toInteger(), ImageBytes);
        QVERIFY(device[u"error"].isNull());
    }
    const QByteArray metrics = rig.httpGetWithToken("/metrics");
    QVERIFY(metrics.contains("grouploop_relay_ota_devices_updated_total 50\n"));
    const QByteArray bytesLine
        = "grouploop_relay_firmware_bytes_total " + QByteArray::number(50 * ImageBytes);
    QVERIFY(metrics.contains(bytesLine));
    QVERIFY(rig.waitForDevices(50)); // all back
}

void TestOtaRollout::failingDevicesEndFailedWithReasons()
{
    Rig rig;
    QVERIFY(rig.start(16, {u"--ota-fail-rate"_qs, u"0.5"_qs}));
    const QString id = rig.rollout(rolloutBody(u"app.bin"_qs, 16, 2));
    QVERIFY(!id.isEmpty());
    const QJsonObject result = rig.waitForEnd(id);
    QCOMPARE(result.value(u"state").toString(), u"done"_qs);
    const QJsonObject counts = result.value(u"counts").toObject();
    QCOMPARE(counts.value(u"updated").toInt() + counts.value(u"failed").toInt(), 16);
    QVERIFY2(counts.value(u"failed").toInt() > 0, "with half failing, some of 16 fail");
    QVERIFY2(counts.value(u"updated").toInt() > 0, "with half failing, some of 16 succeed");
    // A short download, or one the kernel had already taken whole when the device stopped
    // reading (it then never reboots), or a device that never returns.
    const QStringList reasons {u"partial download: "_qs,
                               u"downloaded the image but did not reboot within 2 s"_qs,
                               u"did not come back within 2 s"_qs};
    for (const QJsonValue &device : result.value(u"devices").toArray()) {
        if (device[u"state"].toString() == u"updated") {
            QCOMPARE(device[u"bytes"].toInteger(), ImageBytes);
            continue;
        }
        const QString error = device[u"error"].toString();
        QVERIFY2(std::any_of(reasons.cbegin(), reasons.cend(),
                             [&](const QString &r) { return error.startsWith(r); }),
                 qPrintable(error));
    }
}

void TestOtaRollout::cancelStopsWhatWasNotSent()
{
    Rig rig;
    QVERIFY(rig.start(6));
    const QString id = rig.rollout(rolloutBody(u"app.bin"_qs, 1, 30));
    QVERIFY(!id.isEmpty());
    const Reply cancelled = request(rig.relay.port(), "DELETE", "/ota/" + id.toLatin1());
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(cancelled.json().value(u"state").toString(), u"cancelled"_qs);
    const QJsonObject result = rig.waitForEnd(id);
    QCOMPARE(result.value(u"state").toString(), u"cancelled"_qs);
    int notSent = 0;
    for (const QJsonValue &device : result.value(u"devices").toArray()) {
        if (device[u"error"].toString() == u"cancelled before it was sent")
            ++notSent;
        else
            QCOMPARE(device[u"state"].toString(), u"updated"_qs); // the one in flight finishes
    }
    QVERIFY2(notSent >= 4, qPrintable(QString::number(notSent)));
    QCOMPARE(request(rig.relay.port(), "DELETE", "/ota/" + id.toLatin1()).status, 409);
    // The list shows it, without the device rows.
    const QJsonObject listing = QJsonDocument::fromJson(rig.httpGetWithToken("/ota")).object();
    QCOMPARE(listing[u"ota"].toString(), u"on"_qs);
    const QJsonArray rollouts = listing[u"rollouts"].toArray();
    QCOMPARE(rollouts.size(), 1);
    QCOMPARE(rollouts[0][u"id"].toString(), id);
}

void TestOtaRollout::uploadThenRollOut()
{
    Rig rig;
    QVERIFY(rig.start(4));
    const QByteArray upload = image(300 * 1024);
    const Reply put = request(rig.relay.port(), "PUT", "/firmware/up-1.2.bin", upload);
    QCOMPARE(put.status, 201);
    QCOMPARE(put.json().value(u"bytes").toInteger(), upload.size());
    QFile stored(QDir(rig.folder()).filePath(u"up-1.2.bin"_qs));
    QVERIFY(stored.open(QIODevice::ReadOnly));
    QCOMPARE(stored.readAll(), upload);
    const QJsonArray files = QJsonDocument::fromJson(rig.httpGetWithToken("/firmware"))[u"files"].toArray();
    QCOMPARE(files.size(), 2);
    const QString id = rig.rollout(rolloutBody(u"up-1.2.bin"_qs, 2, 30));
    QVERIFY(!id.isEmpty());
    const QJsonObject result = rig.waitForEnd(id);
    QCOMPARE(result.value(u"counts").toObject().value(u"updated").toInt(), 4);
    QCOMPARE(result.value(u"total_bytes").toInteger(), upload.size());
}

void TestOtaRollout::refusals_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("says");
    const QByteArray good = R"({"firmware":"app.bin","targets":["all"]})";
    QTest::newRow("no token") << QByteArray("POST") << QByteArray("/ota") << good << QByteArray() << 401
                              << QByteArray("controller token");
    QTest::newRow("wrong token") << QByteArray("POST") << QByteArray("/ota") << good << QByteArray("nope")
                                 << 401 << QByteArray("unknown token");
    QTest::newRow("upload without token")
        << QByteArray("PUT") << QByteArray("/firmware/x.bin") << QByteArray("abc") << QByteArray() << 401
        << QByteArray("controller token");
    QTest::newRow("not JSON") << QByteArray("POST") << QByteArray("/ota") << QByteArray("firmware=app.bin")
                              << Token << 400 << QByteArray("JSON object");
    QTest::newRow("path in name") << QByteArray("POST") << QByteArray("/ota")
                                  << QByteArray(R"({"firmware":"../app.bin","targets":["all"]})") << Token
                                  << 400 << QByteArray("has a path in it");
    QTest::newRow("unknown file") << QByteArray("POST") << QByteArray("/ota")
                                  << QByteArray(R"({"firmware":"none.bin","targets":["all"]})") << Token
                                  << 404 << QByteArray("no firmware 'none.bin'");
    QTest::newRow("no targets") << QByteArray("POST") << QByteArray("/ota")
                                << QByteArray(R"({"firmware":"app.bin","targets":[]})") << Token << 400
                                << QByteArray("\"targets\"");
    QTest::newRow("bad target") << QByteArray("POST") << QByteArray("/ota")
                                << QByteArray(R"({"firmware":"app.bin","targets":["xyz"]})") << Token << 400
                                << QByteArray("not \"all\" or a device id");
    QTest::newRow("bad batch") << QByteArray("POST") << QByteArray("/ota")
                               << QByteArray(R"({"firmware":"app.bin","targets":["all"],"batch":0})") << Token
                               << 400 << QByteArray("\"batch\"");
    QTest::newRow("no devices") << QByteArray("POST") << QByteArray("/ota") << good << Token << 409
                                << QByteArray("no devices");
    QTest::newRow("upload path") << QByteArray("PUT") << QByteArray("/firmware/..%2Fescape.bin")
                                 << QByteArray("abc") << Token << 400 << QByteArray("has a path in it");
    QTest::newRow("upload dot name") << QByteArray("PUT") << QByteArray("/firmware/.hidden")
                                     << QByteArray("abc") << Token << 400 << QByteArray("starts with a dot");
    QTest::newRow("upload too large") << QByteArray("PUT") << QByteArray("/firmware/big.bin")
                                      << QByteArray(20 * 1024, 'x') << Token << 413 << QByteArray("over");
    QTest::newRow("unknown rollout") << QByteArray("GET") << QByteArray("/ota/r99") << QByteArray() << Token
                                     << 404 << QByteArray("no rollout 'r99'");
}

void TestOtaRollout::refusals()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, token);
    QFETCH(int, status);
    QFETCH(QByteArray, says);
    if (!m_refusalRig) {
        m_refusalRig = std::make_unique<Rig>();
        QVERIFY(m_refusalRig->start(0, {}, {u"--max-firmware-mb"_qs, u"0.01"_qs}));
    }
    Rig &rig = *m_refusalRig;
    const Reply reply = request(rig.relay.port(), method, path, body, token);
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.contains(says), reply.body.constData());
    QCOMPARE(reply.body.count('\n'), 1); // one line
    // Nothing was written, nothing started.
    QCOMPARE(QDir(rig.folder()).entryList(QDir::Files | QDir::Hidden), QStringList {u"app.bin"_qs});
    QCOMPARE(QJsonDocument::fromJson(rig.httpGetWithToken("/ota"))[u"rollouts"].toArray().size(), 0);
}

void TestOtaRollout::withoutAllowOtaIsForbidden()
{
    QTemporaryDir folder;
    RelayProcess relay;
    RelayProcess::Options options;
    options.arguments = {u"--token"_qs, QString::fromLatin1(Token), u"--firmware-dir"_qs, folder.path()};
    options.output = RelayProcess::Output::Discard;
    QVERIFY(relay.start(options));
    for (const auto &[method, path] : {std::pair<QByteArray, QByteArray> {"POST", "/ota"},
                                       std::pair<QByteArray, QByteArray> {"PUT", "/firmware/a.bin"}}) {
        const Reply reply = request(relay.port(), method, path, R"({"firmware":"a.bin","targets":["all"]})");
        QCOMPARE(reply.status, 403);
        QVERIFY2(reply.body.contains("--allow-ota"), reply.body.constData());
    }
    QVERIFY(QDir(folder.path()).isEmpty());
    // The listing says so before anyone tries (the console's Firmware view reads it).
    const QJsonObject listing = QJsonDocument::fromJson(request(relay.port(), "GET", "/ota").body).object();
    QCOMPARE(listing[u"ota"].toString(), u"off"_qs);
    QVERIFY2(listing[u"refused"].toString().contains(u"--allow-ota"),
             qPrintable(listing[u"refused"].toString()));
}

void TestOtaRollout::firmwareServedToAnyone()
{
    Rig rig;
    QVERIFY(rig.start(0));
    QFile file(QDir(rig.folder()).filePath(u"app.bin"_qs));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Reply reply = request(rig.relay.port(), "GET", "/firmware/app.bin", QByteArray(), QByteArray());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, file.readAll()); // streamed whole
    QCOMPARE(request(rig.relay.port(), "GET", "/firmware/none.bin", QByteArray(), QByteArray()).status, 404);
    QCOMPARE(request(rig.relay.port(), "GET", "/firmware/..%2Fapp.bin", QByteArray(), QByteArray()).status,
             404);
}

QTEST_GUILESS_MAIN(TestOtaRollout)
#include "tst_otarollout.moc"
