// The device field's vertex builder and the plots' decimation, as pure functions (the
// software scene-graph renderer ignores custom geometry, so this is where they are checked).
#include "fieldgeometry.h"
#include "plotdecimation.h"
#include "roommodel.h"

#include <QTest>

using namespace GroupLoop;
namespace FG = GroupLoop::FieldGeometry;

namespace {
// Vertices of the static room: floor, 7 + 5 grid lines, 4 walls, 4 beacon discs.
constexpr int RoomVertices = FG::VerticesPerQuad * (1 + 7 + 5 + 4) + 4 * FG::VerticesPerDisc;

FG::View testView()
{
    return FG::View::fit(QSizeF(1000, 800), 1.0, {});
}

FG::Dot dotAt(QPointF room)
{
    FG::Dot d;
    d.room = room;
    d.colour = QColor(255, 0, 0);
    return d;
}
} // namespace

class TestFieldGeometry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyRoomHasFloorGridWallsBeacons();
    void oneDiscPerPlainDot();
    void ringsForSelectionHoverAndFlash_data();
    void ringsForSelectionHoverAndFlash();
    void selectionMarksOnlyForSelectedDotsInView();
    void coloursArePremultiplied();
    void staleAndUnknownColours();
    void dotsOutsideViewAreCulled();
    void viewMapsRoomBothWays();
    void hitTestAndRubberBand();
    void unchangedDotsNeedNoRepaint();
    void twoThousandDotsStayBounded();
    void decimationKeepsExtremes();
    void decimationBreaksAtGaps();
};

void TestFieldGeometry::emptyRoomHasFloorGridWallsBeacons()
{
    std::vector<FG::Vertex> out;
    FG::build({}, testView(), FG::Style {}, out);
    QCOMPARE(int(out.size()), RoomVertices);
    // Beacon discs are centred on the room corners.
    const FG::View v = testView();
    const int firstBeacon = FG::VerticesPerQuad * 17;
    for (int beacon = 0; beacon < 4; ++beacon) {
        const FG::Vertex &centre = out[size_t(firstBeacon + beacon * FG::VerticesPerDisc)];
        const QPointF expected = v.toItem(RoomModel::beaconPosition(beacon));
        QCOMPARE(centre.x, float(expected.x()));
        QCOMPARE(centre.y, float(expected.y()));
    }
}

void TestFieldGeometry::oneDiscPerPlainDot()
{
    std::vector<FG::Vertex> out;
    FG::build({dotAt({100, 100}), dotAt({700, 500})}, testView(), FG::Style {}, out);
    QCOMPARE(int(out.size()), RoomVertices + 2 * FG::VerticesPerDisc);
    const FG::Vertex &centre = out[size_t(RoomVertices)];
    const QPointF expected = testView().toItem({100, 100});
    QCOMPARE(centre.x, float(expected.x()));
    QCOMPARE(centre.y, float(expected.y()));
    QCOMPARE(int(centre.r), 255);
    QCOMPARE(int(centre.g), 0);
    QCOMPARE(int(centre.a), 255);
    // Every rim vertex lies at the dot radius.
    const FG::Vertex &rim = out[size_t(RoomVertices + 1)];
    QVERIFY(qAbs(std::hypot(rim.x - centre.x, rim.y - centre.y) - FG::Style {}.dotRadiusPx) < 1e-3);
}

void TestFieldGeometry::ringsForSelectionHoverAndFlash_data()
{
    QTest::addColumn<bool>("selected");
    QTest::addColumn<bool>("hovered");
    QTest::addColumn<float>("flash");
    QTest::addColumn<int>("discs");
    QTest::newRow("plain") << false << false << 0.0f << 1;
    QTest::newRow("selected") << true << false << 0.0f << 1;
    QTest::newRow("hovered") << false << true << 0.0f << 2;
    QTest::newRow("tap flash") << false << false << 0.5f << 2;
    QTest::newRow("all") << true << true << 1.0f << 3;
}

void TestFieldGeometry::ringsForSelectionHoverAndFlash()
{
    QFETCH(bool, selected);
    QFETCH(bool, hovered);
    QFETCH(float, flash);
    QFETCH(int, discs);
    FG::Dot dot = dotAt({400, 300});
    dot.selected = selected;
    dot.hovered = hovered;
    dot.flash = flash;
    std::vector<FG::Vertex> out;
    FG::Style style;
    FG::build({dot}, testView(), style, out);
    const int marks = selected ? FG::VerticesPerSelectionMark : 0;
    QCOMPARE(int(out.size()), RoomVertices + discs * FG::VerticesPerDisc + marks);
    // The dot is drawn after its round halos; the selection's square brackets come after every
    // dot, so neighbours never cover them.
    const FG::Vertex &dotCentre = out[out.size() - size_t(marks) - FG::VerticesPerDisc];
    QCOMPARE(int(dotCentre.r), 255);
    QCOMPARE(int(dotCentre.g), 0);
    if (selected) {
        const size_t first = out.size() - size_t(marks);
        const FG::Vertex &outline = out[first];
        QCOMPARE(int(outline.r), style.selectionOutline.red());
        const FG::Vertex &fill = out[first + size_t(marks) / 2];
        QCOMPARE(int(fill.r), style.selection.red());
        QCOMPARE(int(fill.g), style.selection.green());
        // Brackets, not a ring: every mark vertex lies on the square's edges, outside the dot.
        const QPointF centre = testView().toItem({400, 300});
        const double reach = FG::selectionMarkReach(style.dotRadiusPx);
        for (size_t i = first; i < out.size(); ++i) {
            const double dx = qAbs(out[i].x - centre.x()), dy = qAbs(out[i].y - centre.y());
            QVERIFY(std::max(dx, dy) > style.dotRadiusPx);
            QVERIFY(std::max(dx, dy) <= reach + 1e-3);
        }
    }
}

void TestFieldGeometry::selectionMarksOnlyForSelectedDotsInView()
{
    FG::Dot selected = dotAt({100, 100});
    selected.selected = true;
    FG::Dot outside = dotAt({100, 100000});
    outside.selected = true;
    std::vector<FG::Vertex> out;
    FG::appendSelectionMarks({dotAt({400, 300}), selected, outside}, testView(), FG::Style {}, out);
    QCOMPARE(int(out.size()), FG::VerticesPerSelectionMark);
}

void TestFieldGeometry::coloursArePremultiplied()
{
    FG::Dot dot = dotAt({400, 300});
    dot.flash = 0.5f;
    FG::Style style;
    style.flash = QColor(200, 100, 50);
    std::vector<FG::Vertex> out;
    FG::build({dot}, testView(), style, out);
    const FG::Vertex &flash = out[size_t(RoomVertices)];
    const double alpha = 0.5 * 0.9;
    QCOMPARE(int(flash.a), int(std::lround(alpha * 255)));
    QCOMPARE(int(flash.r), int(std::lround(200 * alpha)));
    QCOMPARE(int(flash.g), int(std::lround(100 * alpha)));
}

void TestFieldGeometry::staleAndUnknownColours()
{
    FG::Style style;
    FG::Dot unknown = dotAt({400, 300});
    unknown.colour = QColor();
    FG::Dot stale = dotAt({200, 300});
    stale.stale = true;
    std::vector<FG::Vertex> out;
    FG::build({unknown, stale}, testView(), style, out);
    const FG::Vertex &u = out[size_t(RoomVertices)];
    QCOMPARE(int(u.r), style.unknownDevice.red());
    QCOMPARE(int(u.b), style.unknownDevice.blue());
    const FG::Vertex &s = out[size_t(RoomVertices + FG::VerticesPerDisc)];
    QVERIFY(s.r < 255); // red greyed towards the stale colour
    QVERIFY(s.g > 0);
}

void TestFieldGeometry::dotsOutsideViewAreCulled()
{
    // Centred on the NW corner: the pan moves the view centre away from the room centre.
    const FG::View base = testView();
    const QPointF roomCentreOnScreen = base.toRoom({500, 400});
    const FG::View zoomed = FG::View::fit(QSizeF(1000, 800), 8.0, QPointF(50, 50) - roomCentreOnScreen);
    QVERIFY(std::hypot(zoomed.toItem({50, 50}).x() - 500, zoomed.toItem({50, 50}).y() - 400) < 1e-6);
    std::vector<FG::Vertex> out;
    FG::build({dotAt({50, 50}), dotAt({700, 500})}, zoomed, FG::Style {}, out);
    int dots = (int(out.size()) - RoomVertices) / FG::VerticesPerDisc;
    QCOMPARE(dots, 1);
}

void TestFieldGeometry::viewMapsRoomBothWays()
{
    const FG::View v = FG::View::fit(QSizeF(1200, 700), 2.5, {30, -40});
    for (const QPointF p : {QPointF(0, 0), QPointF(800, 600), QPointF(123.4, 456.7)}) {
        const QPointF back = v.toRoom(v.toItem(p));
        QVERIFY(std::hypot(back.x() - p.x(), back.y() - p.y()) < 1e-9);
    }
    // The whole room fits at zoom 1 with its margin.
    const FG::View fit = testView();
    QVERIFY(fit.toItem({0, 0}).x() >= 23.9);
    QVERIFY(fit.toItem({800, 600}).x() <= 1000 - 23.9);
    QVERIFY(fit.toItem({800, 600}).y() <= 800 - 23.9);
    QCOMPARE(FG::dotRadiusFor(0.01), 3.0);
    QCOMPARE(FG::dotRadiusFor(100.0), 11.0);
}

void TestFieldGeometry::hitTestAndRubberBand()
{
    const FG::View v = testView();
    const std::vector<FG::Dot> dots = {dotAt({100, 100}), dotAt({110, 100}), dotAt({600, 400})};
    QCOMPARE(FG::hitTest(dots, v, v.toItem({111, 101}), 8.0), 1);
    QCOMPARE(FG::hitTest(dots, v, v.toItem({300, 300}), 8.0), -1);
    const QRectF band(v.toItem({50, 50}), v.toItem({200, 150}));
    QCOMPARE(FG::dotsInRect(dots, v, band), (std::vector<int> {0, 1}));
    const QRectF reversed(band.bottomRight(), band.topLeft()); // dragged up-left
    QCOMPARE(FG::dotsInRect(dots, v, reversed), (std::vector<int> {0, 1}));
    QVERIFY(FG::trayPosition(0).y() > RoomModel::Height);
    QVERIFY(FG::trayPosition(40).y() > FG::trayPosition(0).y());
}

void TestFieldGeometry::unchangedDotsNeedNoRepaint()
{
    const std::vector<FG::Dot> a = {dotAt({1, 2}), dotAt({3, 4})};
    std::vector<FG::Dot> b = a;
    QVERIFY(FG::sameDots(a, b));
    QVERIFY(FG::sameDots({}, {}));
    b[1].flash = 0.5f;
    QVERIFY(!FG::sameDots(a, b));
    b = a;
    b[0].colour = QColor(0, 0, 255);
    QVERIFY(!FG::sameDots(a, b));
    b.pop_back();
    QVERIFY(!FG::sameDots(a, b));
}

void TestFieldGeometry::twoThousandDotsStayBounded()
{
    std::vector<FG::Dot> dots;
    for (int i = 0; i < 2000; ++i) {
        FG::Dot d = dotAt({double(i % 50) * 16, double(i / 50) * 15});
        d.selected = i % 2;
        dots.push_back(d);
    }
    std::vector<FG::Vertex> out;
    QElapsedTimer timer;
    timer.start();
    FG::build(dots, testView(), FG::Style {}, out);
    const qint64 ms = timer.elapsed();
    QCOMPARE(int(out.size()),
             RoomVertices + 2000 * FG::VerticesPerDisc + 1000 * FG::VerticesPerSelectionMark);
    QVERIFY2(ms < 50, qPrintable(QStringLiteral("build took %1 ms").arg(ms)));
}

void TestFieldGeometry::decimationKeepsExtremes()
{
    std::vector<PlotDecimation::Sample> samples;
    for (int i = 0; i < 3000; ++i) // 30 s at 100 Hz
        samples.push_back({i * 10, i == 1234 ? 5.0 : std::sin(i / 50.0), true});
    const auto columns = PlotDecimation::minMax(samples, 0, 30000, 100);
    QCOMPARE(int(columns.size()), 100);
    double maxSeen = -1e9;
    for (const auto &c : columns) {
        QVERIFY(c.valid);
        maxSeen = std::max(maxSeen, c.max);
    }
    QCOMPARE(maxSeen, 5.0); // a one-sample spike survives decimation
    const auto segs = PlotDecimation::segments(columns);
    QVERIFY(segs.size() <= 2 * columns.size());
    QVERIFY(segs.size() >= columns.size() - 1);
}

void TestFieldGeometry::decimationBreaksAtGaps()
{
    std::vector<PlotDecimation::Sample> samples
        = {{0, 1.0, true}, {1000, 2.0, true}, {2000, 0.0, false}, {3000, 0.0, false}, {4000, 3.0, true}};
    const auto columns = PlotDecimation::minMax(samples, 0, 5000, 5);
    QVERIFY(columns[0].valid && columns[1].valid && !columns[2].valid && !columns[3].valid
            && columns[4].valid);
    QVERIFY(columns[2].gap && columns[3].gap && !columns[1].gap);
    const auto segs = PlotDecimation::segments(columns);
    QCOMPARE(int(segs.size()), 1); // 0 -> 1 joined; 4 stands alone
    QCOMPARE(segs[0].y1, 1.0);
    QCOMPARE(segs[0].y2, 2.0);

    // Sparse samples (fewer than columns) leave empty columns: the line bridges them.
    const auto sparse = PlotDecimation::minMax({{0, 1.0, true}, {900, 2.0, true}}, 0, 1000, 100);
    const auto bridged = PlotDecimation::segments(sparse);
    QCOMPARE(int(bridged.size()), 1);
    QCOMPARE(bridged[0].x1, 0.0);
    QCOMPARE(bridged[0].x2, 90.0);
    QCOMPARE(int(PlotDecimation::minMax({}, 0, 10, 0).size()), 1);
}

QTEST_GUILESS_MAIN(TestFieldGeometry)
#include "tst_fieldgeometry.moc"
