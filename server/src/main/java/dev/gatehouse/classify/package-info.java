/**
 * Classify: turns a request's path and query into a {@link dev.gatehouse.classify.RequestInfo} by the
 * apiserver's own rules, refusing every path or query that could be read two ways.
 */
package dev.gatehouse.classify;
