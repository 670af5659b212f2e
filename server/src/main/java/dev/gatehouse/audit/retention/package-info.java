/**
 * Retention: sealed segments are copied to an archive directory (where they still verify, with the checkpoints
 * and public keys beside them), kept in the live directory (queryable) for the hot period and in the archive for
 * the retention period, then deleted; every deletion is itself an event in the log.
 */
package dev.gatehouse.audit.retention;
