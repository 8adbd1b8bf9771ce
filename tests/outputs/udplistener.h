// A QUdpSocket on a free loopback port that decodes every OSC datagram it receives.
#pragma once

#include "oscreader.h"

#include <QNetworkDatagram>
#include <QTest>
#include <QUdpSocket>

namespace GroupLoop::Test {

class UdpListener
{
public:
    UdpListener()
    {
        QVERIFY(m_socket.bind(QHostAddress::LocalHost, 0));
        QObject::connect(&m_socket, &QUdpSocket::readyRead, &m_socket, [this] { read(); });
    }

    quint16 port() const { return m_socket.localPort(); }
    QUdpSocket &socket() { return m_socket; }

    QList<QByteArray> datagrams;
    QList<Osc::Packet> packets;
    QList<Osc::Message> messages;
    QStringList errors;

    QList<Osc::Message> withAddress(const QByteArray &address) const
    {
        QList<Osc::Message> out;
        for (const Osc::Message &message : messages) {
            if (message.address == address)
                out.append(message);
        }
        return out;
    }
    void clear()
    {
        datagrams.clear();
        packets.clear();
        messages.clear();
    }

private:
    void read()
    {
        while (m_socket.hasPendingDatagrams()) {
            const QNetworkDatagram datagram = m_socket.receiveDatagram();
            datagrams.append(datagram.data());
            QString error;
            const auto packet = Osc::parse(datagram.data(), &error);
            if (!packet) {
                errors.append(error);
                continue;
            }
            packets.append(*packet);
            messages.append(packet->messages());
        }
    }

    QUdpSocket m_socket;
};

} // namespace GroupLoop::Test
