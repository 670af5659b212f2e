/**
 * {@code gatehouse reviews}: list, show, approve, deny and cancel held requests through the gateway's reviews API
 * ({@link dev.gatehouse.cli.reviews.ReviewsClient}); the base commands and the text output are shared with
 * {@code gatehouse grants} and {@code gatehouse request}.
 */
package dev.gatehouse.cli.reviews;
