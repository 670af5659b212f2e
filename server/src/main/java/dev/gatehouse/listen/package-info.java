/**
 * Listen: TLS (OpenSSL engine, HTTP/2 and HTTP/1.1 via ALPN), the gateway's HTTP server, and the
 * checks on what a client may send before anything else looks at the request; and the other side of TLS, what
 * the gateway's own JDK clients trust ({@link dev.gatehouse.listen.PemTrust}).
 */
package dev.gatehouse.listen;
