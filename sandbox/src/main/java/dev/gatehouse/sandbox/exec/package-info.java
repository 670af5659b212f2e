/** {@code kubectl exec} without containers: the channel protocol over WebSocket and a small fake shell. */
package dev.gatehouse.sandbox.exec;
