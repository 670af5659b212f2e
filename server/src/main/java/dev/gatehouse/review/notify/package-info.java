/**
 * Tells reviewers about reviews and grants as they happen: a {@link dev.gatehouse.review.notify.ReviewNotice}
 * (opened, decided, expired, …) goes to a {@link dev.gatehouse.review.notify.ReviewNotifier}, which returns at
 * once. {@link dev.gatehouse.review.notify.WebhookNotifier} posts each notice to configured webhooks — Slack
 * incoming-webhook JSON or a stable generic JSON — from a bounded queue per target, with timeouts, retries with
 * exponential backoff and jitter, and {@code Retry-After}. Payloads carry the request's description, ids,
 * identities and reasons, never a request body, a header value or a token. See
 * {@code docs/REVIEWS-NOTIFICATIONS.md}.
 */
package dev.gatehouse.review.notify;
