// RoomModel: the room the devices move in and how beacon strength relates to distance.
// The simulator encodes positions with beaconBytesAt(); the console inverts them with
// estimatePosition(). Both use this one model so positions round-trip (docs/protocol.md).
#pragma once

#include <QPointF>

#include <array>
#include <optional>

namespace GroupLoop::RoomModel {

// Room units are centimetres: 8 m x 6 m, a beacon in each corner, y grows southwards.
inline constexpr double Width = 800.0;
inline constexpr double Height = 600.0;

// Log-distance path loss: rssi(d) = TxPowerAt1m - 10 * n * log10(d / 1 m).
inline constexpr double TxPowerAt1mDbm = -59.0;
inline constexpr double PathLossExponent = 2.0;
inline constexpr double ReferenceDistance = 100.0; // 1 m in room units

QPointF beaconPosition(int beacon); // SensorFrame::Beacon order: NW, NE, SE, SW
double rssiAtDistance(double distance);
double distanceForRssi(double dbm);

// Frame bytes for a device at `position` (clamped to the firmware's -100..-40 dBm, so never 0).
std::array<quint8, 4> beaconBytesAt(QPointF position);

// Least-squares position from the beacons that were heard (byte != 0); needs three.
// The result is clamped to the room.
std::optional<QPointF> estimatePosition(const std::array<quint8, 4> &beacons);

} // namespace GroupLoop::RoomModel
