/**
 * {@code kubectl exec} and {@code attach} without containers: a small {@link dev.gatehouse.sandbox.exec.FakeShell}
 * runs each exec ({@link dev.gatehouse.sandbox.exec.ExecSession}) and each container's main process for attach
 * ({@link dev.gatehouse.sandbox.exec.ContainerProcess}); their streams are the channel protocol over WebSocket
 * ({@link dev.gatehouse.sandbox.exec.WebSocketStreams}) or SPDY streams ({@link
 * dev.gatehouse.sandbox.exec.SpdyStreams}), both {@link dev.gatehouse.sandbox.exec.RemoteStreams}.
 */
package dev.gatehouse.sandbox.exec;
