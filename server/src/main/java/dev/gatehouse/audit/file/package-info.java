/**
 * The audit log as segmented JSON-lines files in a data directory, written by a single thread that commits groups
 * of events with one {@code fsync}, recovered to the last complete event after a crash, and read back by
 * {@link dev.gatehouse.audit.file.AuditLogReader}.
 *
 * <p>On disk ({@code <dataDir>/audit}):
 * <pre>
 * segment-00000000000000000000.jsonl   one AuditEvent per line; gatehouse.seq = the line's position (0-based)
 * segment-00000000000000000000.leaves  32-byte RFC 6962 leaf hash per line (derived; pinpoints tampering)
 * segment-00000000000065536.jsonl      the next segment starts at its first position; a seal writes a checkpoint
 * checkpoints.jsonl                    signed checkpoints: origin, treeSize, rootHash, time, keyId, signature, frontier
 * keys/ed25519-&lt;id&gt;.pub|.key, active  signing keys (public halves kept across rotations)
 * query-index.sqlite                   the query index (derived; rebuilt from the segments when lost)
 * .lock                                held by the one writer
 * segment-….jsonl.torn-&lt;millis&gt;        bytes cut from a torn tail after a crash (also recorded as an event)
 * </pre>
 * A checkpoint signs {@code gatehouse.dev/audit\n<treeSize>\n<root base64>\n<time>\n} with Ed25519; the leaf
 * hash of an event is {@code SHA-256(0x00 || its line without the newline)}.
 */
package dev.gatehouse.audit.file;
