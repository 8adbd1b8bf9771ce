// TlsRecordLayer's own tests (tlsrecordlayertests.cpp), run in tst_tlssession's binary.
#pragma once

#include <QObject>

class TestTlsRecordLayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfc8448KeysAndIvs();
    void rfc8448ClientRecords();
    void rfc8448ServerRecords();
    void oneByteAtATime();
    void keyUpdatesAreAnsweredOnce();
    void failures_data();
    void failures();
};
