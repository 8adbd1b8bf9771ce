#include "windowplacement.h"

#include <algorithm>

namespace GroupLoop::WindowPlacement {

QRect fit(const QRect &wanted, bool hasPosition, const QRect &available, const QSize &minimum)
{
    if (available.isEmpty())
        return wanted;
    const int width = std::min(std::max(wanted.width(), minimum.width()), available.width());
    const int height = std::min(std::max(wanted.height(), minimum.height()), available.height());
    QRect placed(0, 0, width, height);
    if (!hasPosition) {
        placed.moveCenter(available.center());
        return placed;
    }
    placed.moveTo(std::clamp(wanted.x(), available.left(), available.left() + available.width() - width),
                  std::clamp(wanted.y(), available.top(), available.top() + available.height() - height));
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
