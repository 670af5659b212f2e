/**
 * The gateway's control API. {@link dev.gatehouse.api.AuditApi} serves the evidence under
 * {@code /gatehouse/v1/audit/...} (events, verify, proofs, export, keys) to the identities
 * {@link dev.gatehouse.api.EvidenceReaders} admits; every call, answered or refused, is itself an
 * {@code evidence-read} event in the same log ({@link dev.gatehouse.api.EvidenceReadAudit}), durable before the
 * answer is sent. The blocking reads of the log directory ({@link dev.gatehouse.api.EvidenceFiles}) run on a
 * worker thread. {@link dev.gatehouse.api.ReviewApi} serves held requests' reviews and time-boxed grants under
 * {@code /gatehouse/v1/reviews} and {@code /gatehouse/v1/grants} over the {@link dev.gatehouse.review.Reviews}
 * service: each caller sees what they asked for, what they may approve, and readers everything.
 */
package dev.gatehouse.api;
