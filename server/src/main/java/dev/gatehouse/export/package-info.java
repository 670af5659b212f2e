/**
 * Export to SIEMs: each exporter is a consumer of the audit log with its own durable cursor. It reads events
 * after its cursor, shapes them (Kubernetes audit Event, or OCSF API Activity), delivers a batch to its sink with
 * retries and backoff, and only then moves the cursor: delivery is at-least-once, duplicates carry the same audit
 * id, and a slow or down SIEM never blocks requests (it only grows the exporter's lag). One sub-package per sink.
 */
package dev.gatehouse.export;
