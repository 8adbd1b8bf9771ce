import QtQuick
import GroupLoop.Console
import GroupLoop.Ui

// The device field (the C++ DeviceField: one scene-graph node for the room and every dot) in
// the Theme's colours; the field view and the simulator's live view both use it.
DeviceField {
    floorColor: Theme.fieldFloor
    gridColor: Theme.fieldGrid
    wallColor: Theme.fieldWall
    beaconColor: Theme.fieldBeacon
    selectionColor: Theme.selection
    selectionOutlineColor: Theme.fieldSelectionOutline
    hoverColor: Theme.fieldHover
    unknownColor: Theme.fieldUnknown
    staleColor: Theme.fieldStale
    flashColor: Theme.fieldFlash
    replayColor: Theme.replay
}
