// OSC decoding: one UDP datagram into a Packet, or a refusal that says what is wrong and at
// which byte. Strict where OSC 1.0 is strict (sizes in multiples of four, NUL padding, a type
// tag string, bundle element sizes), bounded in nesting and element count, and never reads
// past the datagram: it is the one piece of the outputs library fed by the network, and a
// fuzz target (tests/fuzz/fuzz_osc.cpp).
#pragma once

#include "oscmessage.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace GroupLoop::Osc {

inline constexpr int MaxBundleDepth = 8;
inline constexpr int MaxPacketElements = 1024; // messages and bundles in one datagram

std::optional<Packet> parse(QByteArrayView datagram, QString *error = nullptr);

} // namespace GroupLoop::Osc
