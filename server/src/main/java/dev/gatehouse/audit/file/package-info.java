/**
 * The audit log as segmented JSON-lines files in a data directory: one event per line, written by a single
 * thread that commits groups of events with one {@code fsync}, recovered to the last complete event after a
 * crash, and read back by {@link dev.gatehouse.audit.file.AuditLogReader}.
 */
package dev.gatehouse.audit.file;
