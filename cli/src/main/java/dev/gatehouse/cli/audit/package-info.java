/**
 * {@code gatehouse audit ...}: verify, prove, check a proof, query and export the audit log, offline on a log
 * directory (the live one while the gateway is stopped, an archive, or an exported copy). Errors are one line
 * on stderr with a non-zero exit, never a stack trace. With {@code --server URL} query, verify, prove, export and
 * keys ask the live gateway's audit API instead ({@link dev.gatehouse.cli.audit.GatewayClient}), which records the
 * read with the caller's identity.
 */
package dev.gatehouse.cli.audit;
