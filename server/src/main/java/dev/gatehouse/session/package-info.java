/**
 * The session bridge: exec, attach and port-forward connections upgraded to WebSocket or SPDY/3.1. The gateway
 * relays the upgraded bytes both ways with backpressure, whole frames at a time, and decodes every frame on the
 * way (RFC 6455 WebSocket framing, the Kubernetes channel protocols, SPDY/3.1 through Netty's codec) so that each
 * channel is teed to the session's recording. Nothing here decides who may open a session; the chain has done
 * that before the bridge is called. A session the chain holds for review is accepted by the gateway itself, waits
 * (the user told so on stderr) and is spliced to the cluster only once the review releases it
 * ({@code PendingSession}, {@code PendingProtocol}).
 */
package dev.gatehouse.session;
