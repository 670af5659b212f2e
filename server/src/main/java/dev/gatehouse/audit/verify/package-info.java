/**
 * Verification: checks a log directory (live, archived or exported) against its signed checkpoints and reports
 * the first bad position (a modified, deleted, inserted or reordered event, a truncated tail, a forged
 * checkpoint) with counts per cluster and day for completeness; proves and checks the inclusion of one event;
 * and re-checks new checkpoints in the background of a running gateway.
 */
package dev.gatehouse.audit.verify;
