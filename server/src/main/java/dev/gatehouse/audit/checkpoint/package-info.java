/**
 * Signed checkpoints: at a regular interval, when a segment is sealed and on shutdown the log signs its tree
 * size, root hash and the time with Ed25519. Keys are generated on first start, can be rotated, and their public
 * halves are published so anyone can verify checkpoints, and through them every event.
 */
package dev.gatehouse.audit.checkpoint;
