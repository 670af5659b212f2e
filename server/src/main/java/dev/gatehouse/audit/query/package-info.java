/**
 * Query: an index of the log in the embedded store (SQLite) for filters over millions of events. The index is
 * derived data: it follows the log from its last position and is rebuilt from the log when lost or stale; the
 * events returned are always read back from the log itself.
 */
package dev.gatehouse.audit.query;
