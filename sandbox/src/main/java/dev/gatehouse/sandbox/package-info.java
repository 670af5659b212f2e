/**
 * The sandbox cluster: an in-process stand-in for a Kubernetes API server that the real kubectl 1.32 accepts,
 * used as the demo's cluster and as the upstream of the gateway's end-to-end tests. {@link
 * dev.gatehouse.sandbox.Sandbox} is the entry point; {@link dev.gatehouse.sandbox.kubectl.Kubectl} drives the real
 * kubectl against it (or against the gateway).
 * <p>
 * Inside: {@code http} serves HTTPS and holds the request chain; {@code store} keeps objects and change history;
 * {@code cluster} plays controllers and kubelet; {@code resource} names the API; {@code table}, {@code patch},
 * {@code proto}, {@code openapi}, {@code exec}, {@code portforward} and {@code spdy} are the apiserver and
 * kubelet behaviours kubectl relies on; {@code seed} is the starting state; {@code recording} keeps what was
 * received.
 */
package dev.gatehouse.sandbox;
