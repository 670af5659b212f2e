/**
 * The audit log's moving parts in a running gateway (log, background verifier, retention, exporters), started and
 * stopped as one, with their health and metrics.
 */
package dev.gatehouse.audit.runtime;
