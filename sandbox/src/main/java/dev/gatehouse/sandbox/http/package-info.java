/**
 * The HTTPS front: {@link dev.gatehouse.sandbox.http.ApiServer} builds the request chain (record, health,
 * authenticate, impersonate, route) and hands each request to one handler per concern: discovery, OpenAPI,
 * objects, subresources, watch, logs, the streaming subresources (exec, attach, port-forward over WebSocket or
 * SPDY) and reviews.
 */
package dev.gatehouse.sandbox.http;
