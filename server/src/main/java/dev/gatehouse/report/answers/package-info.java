/**
 * The reports themselves, one class each, in the order of issue 18 ({@code docs/REPORTS.md} lists their columns).
 * Each reads events through {@link dev.gatehouse.report.Report.Collector} and never anything but the events and the
 * {@link dev.gatehouse.report.ReportSources}, so its rows can be re-derived from the log.
 */
package dev.gatehouse.report.answers;
