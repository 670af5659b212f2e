/**
 * The auditor's answers: named reports over the audit log ({@link dev.gatehouse.report.Report}), each computed from
 * the events a signed checkpoint covers ({@link dev.gatehouse.report.ReportRunner}) into a
 * {@link dev.gatehouse.report.ReportAnswer} that names its query, period, record count, log positions and checkpoint
 * and carries the SHA-256 of its rows in a canonical form ({@link dev.gatehouse.report.CanonicalRows}), so anyone
 * holding the log can re-derive and check it ({@link dev.gatehouse.report.ReportCheck}). The answers themselves live
 * in {@code report.answers}; {@code docs/REPORTS.md} describes each one.
 */
package dev.gatehouse.report;
