/**
 * Export over HTTP in batches: JSON lines to any webhook, Splunk HTTP Event Collector, or OpenTelemetry logs
 * (OTLP/HTTP JSON). A batch is delivered when the receiver answers 2xx.
 */
package dev.gatehouse.export.webhook;
