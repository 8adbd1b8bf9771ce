// OpenSSL's errors as one line a person can act on. Internal to TlsContext and TlsSession.
#pragma once

#include <QString>

struct ssl_st;

namespace GroupLoop::TlsErrors {

// Empties this thread's OpenSSL error queue into one line ("reason; reason"); "" if empty.
QString takeQueue();

// Why an SSL call on `ssl` failed, given SSL_get_error()'s verdict; empties the queue.
// Certificate failures name the check that failed ("certificate verify failed: self-signed
// certificate", "...: hostname mismatch (the certificate is not for relay.example)").
QString describe(ssl_st *ssl, int sslError, bool client);

} // namespace GroupLoop::TlsErrors
