// AccessControl on its own: what the upgrade's token grants, the 401s of the upgrade and of
// controller-only routes, auth: raising a role and never lowering it, who may subscribe,
// command and send frames, the ota gate, and the warning when open to the network.
#include "accesscontrol.h"

#include <QRegularExpression>
#include <QTest>

using namespace GroupLoop;

namespace {

RelayAccess tokens(const QByteArray &controller, const QByteArray &device = {})
{
    RelayAccess access;
    access.controllerTokens.add(controller);
    access.deviceTokens.add(device);
    return access;
}

HttpRequest requestWith(const QByteArray &target, const QByteArray &authorization = {})
{
    HttpRequest request;
    request.head.method = "GET";
    request.head.target = target;
    if (!authorization.isEmpty())
        request.head.headers.append({"authorization", authorization});
    request.peer = QStringLiteral("10.0.0.7");
    return request;
}

} // namespace

class TestAccessControl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void upgradeTokens_data();
    void upgradeTokens();
    void controllerRoutes();
    void authRaisesNeverLowers();
    void whoMayDoWhat();
    void otaGate();
    void warnsWhenOpenToTheNetwork();
};

void TestAccessControl::upgradeTokens_data()
{
    QTest::addColumn<bool>("withTokens");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<AccessRole>("role");
    QTest::newRow("open relay, any token") << false << QByteArray("/?token=x") << false << AccessRole::None;
    QTest::newRow("no token: may auth: later") << true << QByteArray("/") << false << AccessRole::None;
    QTest::newRow("controller") << true << QByteArray("/?token=boss") << false << AccessRole::Controller;
    QTest::newRow("device") << true << QByteArray("/?token=thing") << false << AccessRole::Device;
    QTest::newRow("unknown") << true << QByteArray("/?token=guess") << true << AccessRole::None;
}

void TestAccessControl::upgradeTokens()
{
    QFETCH(bool, withTokens);
    QFETCH(QByteArray, target);
    QFETCH(bool, refused);
    QFETCH(AccessRole, role);
    AccessControl access(withTokens ? tokens("boss", "thing") : RelayAccess(), false);
    AccessRole granted = AccessRole::None;
    if (refused)
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("unknown token at the upgrade")));
    const std::optional<HttpResponse> refusal
        = access.admitUpgrade(requestWith(target).head, u"peer"_qs, &granted);
    QCOMPARE(refusal.has_value(), refused);
    QCOMPARE(granted, role);
    QCOMPARE(access.refusals(), refused ? 1u : 0u);
    if (refused) {
        QCOMPARE(refusal->status, 401);
        QCOMPARE(refusal->body, QByteArray("unknown token\n"));
        QCOMPARE(refusal->extraHeaders, QByteArray("WWW-Authenticate: Bearer realm=\"grouploop\"\r\n"));
    }
}

void TestAccessControl::controllerRoutes()
{
    AccessControl open(tokens({}, "thing"), false); // device tokens only: the side door stays open
    QVERIFY(!open.admitController(requestWith("/metrics")));

    AccessControl guarded(tokens("boss", "thing"), false);
    QVERIFY(!guarded.admitController(requestWith("/metrics", "Bearer boss")));
    QVERIFY(!guarded.admitController(requestWith("/metrics?token=boss")));
    const auto without = guarded.admitController(requestWith("/metrics"));
    QVERIFY(without);
    QCOMPARE(without->status, 401);
    QVERIFY(without->body.startsWith("this needs a controller token"));
    const auto device = guarded.admitController(requestWith("/devices?token=thing"));
    QVERIFY(device);
    QCOMPARE(device->body, QByteArray("unknown token\n"));
    QCOMPARE(guarded.refusals(), 2u);
}

void TestAccessControl::authRaisesNeverLowers()
{
    AccessControl disabled({}, false);
    AccessRole role = AccessRole::None;
    QVERIFY(disabled.authenticate("anything", u"#1"_qs, &role));
    QCOMPARE(role, AccessRole::None);

    AccessControl access(tokens("boss", "thing"), false);
    QVERIFY(!access.authenticate("guess", u"#1"_qs, &role));
    QVERIFY(access.authenticate("thing", u"#1"_qs, &role));
    QCOMPARE(role, AccessRole::Device);
    QVERIFY(access.authenticate("boss", u"#1"_qs, &role));
    QCOMPARE(role, AccessRole::Controller);
    QVERIFY(access.authenticate("thing", u"#1"_qs, &role));
    QCOMPARE(role, AccessRole::Controller);
}

void TestAccessControl::whoMayDoWhat()
{
    const AccessControl open({}, false);
    QVERIFY(open.mayControl(AccessRole::None));
    QVERIFY(open.maySendFrames(AccessRole::None));

    const AccessControl controllersOnly(tokens("boss"), false);
    QVERIFY(!controllersOnly.mayControl(AccessRole::None));
    QVERIFY(!controllersOnly.mayControl(AccessRole::Device));
    QVERIFY(controllersOnly.mayControl(AccessRole::Controller));
    QVERIFY(controllersOnly.maySendFrames(AccessRole::None)); // no device tokens: frames are free

    const AccessControl both(tokens("boss", "thing"), false);
    QVERIFY(!both.maySendFrames(AccessRole::None));
    QVERIFY(both.maySendFrames(AccessRole::Device));
    QVERIFY(both.maySendFrames(AccessRole::Controller));
}

void TestAccessControl::otaGate()
{
    const AccessControl disabled(tokens("boss"), false);
    const auto off = disabled.refuseOta(AccessRole::Controller);
    QVERIFY(off);
    QCOMPARE(off->reply, u"cmd:result:refused:ota is disabled on this relay"_qs);
    QVERIFY(off->reason.contains(u"--allow-ota"));

    const AccessControl allowed(tokens("boss"), true);
    QCOMPARE(allowed.refuseOta(AccessRole::Device)->reply,
             u"cmd:result:refused:ota needs an authenticated controller"_qs);
    QVERIFY(!allowed.refuseOta(AccessRole::Controller));
}

void TestAccessControl::warnsWhenOpenToTheNetwork()
{
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral(
            "^\\[SECURITY\\] listening on 0.0.0.0 without --token: anyone who can reach port 5003")));
    AccessControl({}, false).warnIfOpenToTheNetwork(QHostAddress::AnyIPv4, 5003);
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
    AccessControl({}, false).warnIfOpenToTheNetwork(QHostAddress::LocalHost, 5003);
    AccessControl(tokens("boss"), false).warnIfOpenToTheNetwork(QHostAddress::AnyIPv4, 5003);
}

QTEST_GUILESS_MAIN(TestAccessControl)
#include "tst_accesscontrol.moc"
