#include "windowplacement.h"

#include <algorithm>

namespace GroupLoop::WindowPlacement {

QRect fit(const QRect &wanted, bool hasPosition, const QRect &available, const QSize &minimum)
{
    if (available.isEmpty())
        return wanted;
    // Never below the window's minimum: on a screen smaller than that it hangs over the right
    // and bottom edges, its top-left corner (title bar, connection bar) on the screen.
    const int width = std::max(std::min(wanted.width(), available.width()), minimum.width());
    const int height = std::max(std::min(wanted.height(), available.height()), minimum.height());
    QRect placed(0, 0, width, height);
    if (!hasPosition) {
        placed.moveCenter(available.center());
        placed.moveTo(std::max(placed.x(), available.x()), std::max(placed.y(), available.y()));
        return placed;
    }
    const auto clampInto = [](int value, int low, int high) { return std::max(low, std::min(value, high)); };
    placed.moveTo(clampInto(wanted.x(), available.left(), available.left() + available.width() - width),
                  clampInto(wanted.y(), available.top(), available.top() + available.height() - height));
    return placed;
}

QRect screenFor(const QRect &wanted, bool hasPosition, const QList<QRect> &screens)
{
    if (screens.isEmpty())
        return {};
    QRect best = screens.constFirst();
    if (!hasPosition)
        return best;
    qint64 bestArea = 0;
    for (const QRect &screen : screens) {
        const QRect overlap = screen.intersected(wanted);
        const qint64 area = qint64(overlap.width()) * overlap.height();
        if (area > bestArea) {
            bestArea = area;
            best = screen;
        }
    }
    return best;
}

} // namespace GroupLoop::WindowPlacement
