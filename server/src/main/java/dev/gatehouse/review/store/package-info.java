/**
 * Where reviews and grants are kept: {@link dev.gatehouse.review.store.SqliteReviewStore}, one SQLite file with
 * Flyway migrations from {@code db/reviews}. A PostgreSQL store for several gateways would implement the same
 * {@link dev.gatehouse.review.ReviewStore}.
 */
package dev.gatehouse.review.store;
