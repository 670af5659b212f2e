/**
 * Reviews of held requests and time-boxed grants. Policy marks a request "review"; the chain opens a
 * {@link dev.gatehouse.review.Review} for it ({@link dev.gatehouse.review.Reviews#open}) and holds it
 * ({@link dev.gatehouse.review.Reviews#await}) until reviewers decide or the hold time ends; an approved request, or
 * a byte-identical retry ({@link dev.gatehouse.review.RequestFingerprint}), is let through by
 * {@link dev.gatehouse.review.Reviews#redeem}. A {@link dev.gatehouse.review.Grant} asked ahead of time lets a
 * requester's held-class requests in its scope pass until it ends.
 *
 * <p>{@link dev.gatehouse.review.ReviewService} is the implementation: rules in {@code ReviewRules} and
 * {@code GrantScopes}, each step committed by {@code Steps} (store compare-and-set, then the durable audit event
 * through the {@link dev.gatehouse.review.ReviewListener}, then its effect), holds in {@code Holds} (a promise and a
 * timer per held request, no thread). The store is a {@link dev.gatehouse.review.ReviewStore}.
 */
package dev.gatehouse.review;
