/**
 * Audit: the evidence itself. {@link dev.gatehouse.audit.AuditEvent} is the one shape of every piece of
 * evidence, {@link dev.gatehouse.audit.AuditLog} the append-only log it goes through; the mechanisms live in
 * sub-packages (the segmented file log, its Merkle tree, signed checkpoints, verification, the query index).
 */
package dev.gatehouse.audit;
