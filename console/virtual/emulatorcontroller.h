// EmulatorController: one virtual device the user handles by hand in the emulator panel.
// It is the simulator's VirtualDevice (the same firmware model as every swarm device) on a
// LightWebSocket in the GUI thread: one socket is cheap. The user moves it in the room (the
// beacon bytes follow through RoomModel), tilts it (the accelerometer reads gravity, 1 g),
// taps it, edits its id and connects it; the panel shows its LED ring at a fixed UI rate,
// vibration, the last frame sent and the commands received.
#pragma once

#include "otafetcher.h"
#include "virtualdevice.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace GroupLoop {

class LightWebSocket;
class RelayClient;

class EmulatorController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("EmulatorController is provided by the console")
    Q_PROPERTY(QString idText READ idText NOTIFY idChanged)
    Q_PROPERTY(QString url READ url WRITE setUrl NOTIFY urlChanged)
    Q_PROPERTY(QString defaultUrl READ defaultUrl NOTIFY defaultUrlChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateText READ stateText NOTIFY stateChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(double hz READ hz WRITE setHz NOTIFY hzChanged)
    Q_PROPERTY(QPointF position READ position WRITE setPosition NOTIFY motionChanged)
    Q_PROPERTY(double roll READ roll WRITE setRoll NOTIFY motionChanged)
    Q_PROPERTY(double pitch READ pitch WRITE setPitch NOTIFY motionChanged)
    Q_PROPERTY(double yaw READ yaw WRITE setYaw NOTIFY motionChanged)
    Q_PROPERTY(QVariantList acceleration READ acceleration NOTIFY motionChanged)
    Q_PROPERTY(QVariantList beacons READ beacons NOTIFY motionChanged)
    Q_PROPERTY(QStringList leds READ leds NOTIFY ledsChanged)
    Q_PROPERTY(double ledLevel READ ledLevel NOTIFY ledsChanged)
    Q_PROPERTY(bool vibrating READ isVibrating NOTIFY vibratingChanged)
    Q_PROPERTY(QString phaseText READ phaseText NOTIFY deviceStateChanged)
    Q_PROPERTY(QString patternText READ patternText NOTIFY deviceStateChanged)
    Q_PROPERTY(int brightness READ brightness NOTIFY deviceStateChanged)
    Q_PROPERTY(QString lastFrameHex READ lastFrameHex NOTIFY frameSent)
    Q_PROPERTY(QString lastFrameDecoded READ lastFrameDecoded NOTIFY frameSent)
    Q_PROPERTY(double framesSent READ framesSent NOTIFY frameSent)
    Q_PROPERTY(QStringList received READ received NOTIFY receivedChanged)
    // The panel sets this to its visibility: the ring is refreshed at UiHz only while watched.
    Q_PROPERTY(bool watched READ isWatched WRITE setWatched NOTIFY watchedChanged)

public:
    enum State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    static constexpr int UiHz = 30;
    static constexpr int ReconnectMs = 2000;
    static constexpr int MaxLogLines = 200;

    explicit EmulatorController(RelayClient *relay = nullptr, QObject *parent = nullptr);
    ~EmulatorController() override;

    QString idText() const { return m_device.idText(); }
    // Exactly 4 hex digits (either case); otherwise false and `error` says why.
    Q_INVOKABLE bool setIdText(const QString &text);
    QString url() const { return m_url; }
    void setUrl(const QString &url);
    QString defaultUrl() const;
    State state() const { return m_state; }
    QString stateText() const;
    QString error() const { return m_error; }
    double hz() const { return m_hz; }
    void setHz(double hz);

    QPointF position() const { return m_device.position(); }
    void setPosition(QPointF position); // clamped to the room
    double roll() const { return m_device.orientation().roll; }
    void setRoll(double degrees);
    double pitch() const { return m_device.orientation().pitch; }
    void setPitch(double degrees);
    double yaw() const { return m_device.orientation().yaw; }
    void setYaw(double degrees);
    QVariantList acceleration() const; // g on x, y, z as the frame encodes them
    QVariantList beacons() const; // the four beacon bytes, NW NE SE SW

    QStringList leds() const { return m_leds; }
    double ledLevel() const { return m_ledLevel; }
    bool isVibrating() const { return m_vibrating; }
    QString phaseText() const;
    QString patternText() const;
    int brightness() const { return m_device.leds().brightness(); }
    QString lastFrameHex() const { return m_lastFrameHex; }
    QString lastFrameDecoded() const { return m_lastFrameDecoded; }
    double framesSent() const { return double(m_framesSent); }
    QStringList received() const { return m_received; }
    bool isWatched() const { return m_uiTimer.isActive(); }
    void setWatched(bool watched);

    const VirtualDevice &device() const { return m_device; }
    void setOtaFetcher(std::unique_ptr<OtaFetcher> fetcher) { m_ota = std::move(fetcher); }

    Q_INVOKABLE bool connectToRelay(); // to url(), or the console's relay when url() is empty
    Q_INVOKABLE void disconnectFromRelay();
    Q_INVOKABLE void tap();
    Q_INVOKABLE void tiltBy(double rollDegrees, double pitchDegrees);
    Q_INVOKABLE void level(); // flat, face up
    Q_INVOKABLE void moveTo(double x, double y) { setPosition(QPointF(x, y)); }
    Q_INVOKABLE void clearReceived();
    Q_INVOKABLE static bool isValidId(const QString &text);

Q_SIGNALS:
    void idChanged();
    void urlChanged();
    void defaultUrlChanged();
    void stateChanged();
    void errorChanged();
    void hzChanged();
    void motionChanged();
    void ledsChanged();
    void vibratingChanged();
    void deviceStateChanged();
    void frameSent();
    void receivedChanged();
    void watchedChanged();
    void logEvent(int level, const QString &category, const QString &text);

private:
    void setState(State state);
    void setError(const QString &error);
    void openSocket();
    void onConnected();
    void onDisconnected(const QString &reason);
    void onText(const QByteArray &text);
    void startOta();
    void sendFrame();
    void refreshUi();
    void logReceived(const QString &line);
    void advanceClock() { m_device.advanceTo(m_clock.elapsed()); }

    QPointer<RelayClient> m_relay;
    VirtualDevice m_device;
    QElapsedTimer m_clock;
    LightWebSocket *m_socket;
    std::unique_ptr<OtaFetcher> m_ota;
    QUrl m_target;
    QString m_url;
    State m_state = Disconnected;
    bool m_wanted = false; // the user asked to be connected
    bool m_rebootAfterOta = false;
    QString m_error;
    double m_hz = 20.0;
    QTimer m_uiTimer;
    QTimer m_sendTimer;
    QTimer m_reconnectTimer;
    QStringList m_leds;
    double m_ledLevel = 0.0;
    bool m_vibrating = false;
    QString m_deviceState; // phase + pattern + brightness, to notify only on change
    QString m_lastFrameHex;
    QString m_lastFrameDecoded;
    quint64 m_framesSent = 0;
    QStringList m_received;
};

} // namespace GroupLoop
