/**
 * {@code gatehouse report}: the auditor's answers, from a log directory or from the live gateway
 * ({@code --server}, where the read is recorded), and {@code gatehouse report check} that re-derives an answer from
 * the log. See {@code docs/REPORTS.md}.
 */
package dev.gatehouse.cli.report;
