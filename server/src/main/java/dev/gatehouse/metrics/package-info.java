/** Metrics: Prometheus metrics of the gateway (Micrometer), served at {@code /metrics}. */
package dev.gatehouse.metrics;
