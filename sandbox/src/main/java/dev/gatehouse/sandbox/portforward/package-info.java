/**
 * {@code kubectl port-forward} without containers: {@link dev.gatehouse.sandbox.portforward.PortForwardSession}
 * serves the {@code portforward.k8s.io} SPDY protocol (plain or tunnelled in WebSocket) and carries each forwarded
 * connection to a real local TCP service, by default the sandbox's own {@link
 * dev.gatehouse.sandbox.portforward.EchoServer}.
 */
package dev.gatehouse.sandbox.portforward;
