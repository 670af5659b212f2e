/**
 * SPDY/3.1 as Kubernetes streaming uses it ({@code exec}, {@code attach} and {@code port-forward} after an
 * {@code Upgrade: SPDY/3.1}, or tunnelled in WebSocket binary messages): {@link
 * dev.gatehouse.sandbox.spdy.SpdyConnection} runs Netty's SPDY frame codec over whatever carries the bytes and
 * reports the client's streams to a {@link dev.gatehouse.sandbox.spdy.SpdyConnection.Listener}.
 */
package dev.gatehouse.sandbox.spdy;
