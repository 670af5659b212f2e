/**
 * The evidence of reviews and grants: {@link dev.gatehouse.review.evidence.ReviewAuditEvents} writes each step to the
 * audit log as an event of type {@code review} or {@code grant}, durable before the step takes effect.
 */
package dev.gatehouse.review.evidence;
