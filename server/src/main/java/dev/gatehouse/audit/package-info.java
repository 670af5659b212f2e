/** Audit: the evidence itself: events, the append-only log, and (later) its integrity and verification. */
package dev.gatehouse.audit;
