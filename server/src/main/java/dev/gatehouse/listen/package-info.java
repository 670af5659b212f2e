/**
 * Listen: TLS (OpenSSL engine, HTTP/2 and HTTP/1.1 via ALPN), the gateway's HTTP server, and the
 * checks on what a client may send before anything else looks at the request.
 */
package dev.gatehouse.listen;
