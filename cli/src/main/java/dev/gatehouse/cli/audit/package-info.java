/**
 * {@code gatehouse audit ...}: verify, prove, check a proof, query and export the audit log, offline on a log
 * directory (the live one while the gateway is stopped, an archive, or an exported copy). Errors are one line
 * on stderr with a non-zero exit, never a stack trace.
 */
package dev.gatehouse.cli.audit;
