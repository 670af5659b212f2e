/**
 * The log's Merkle tree, hashed as in RFC 6962 (leaf {@code SHA-256(0x00 || event line)}, node
 * {@code SHA-256(0x01 || left || right)}): the compact frontier the writer keeps while appending, roots of any
 * prefix, and inclusion proofs that verify offline.
 */
package dev.gatehouse.audit.merkle;
