/**
 * Evidence in object storage: each replica ships its sealed audit segments, their signed checkpoints, its public
 * keys and finished session recordings to S3-compatible storage ({@link dev.gatehouse.evidence.EvidenceShipper}),
 * write-once and resumable, and {@link dev.gatehouse.evidence.StoreVerifier} verifies every replica's log from
 * there. {@code docs/EVIDENCE-STORAGE.md}.
 */
package dev.gatehouse.evidence;
