// WindowPlacement: where the console window goes, so that it starts inside the screen's
// available area whatever size it wanted or had last time (laptops, projectors at 1280x720).
#pragma once

#include <QList>
#include <QRect>
#include <QSize>

namespace GroupLoop::WindowPlacement {

// `wanted` clamped into `available`: no larger than it (but never below `minimum`), moved back
// inside if it hangs over an edge or lies off-screen; without `hasPosition`, centred. A
// screen smaller than `minimum` keeps the top-left corner on the screen.
QRect fit(const QRect &wanted, bool hasPosition, const QRect &available, const QSize &minimum);

// The available area the window belongs on: the one of `screens` it overlaps most, else the
// first (the primary screen). Empty if there are no screens.
QRect screenFor(const QRect &wanted, bool hasPosition, const QList<QRect> &screens);

} // namespace GroupLoop::WindowPlacement
