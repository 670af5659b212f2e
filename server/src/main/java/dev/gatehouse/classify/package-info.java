/**
 * Classify: routes a request to a cluster ({@link dev.gatehouse.classify.ClusterRoutes}: path prefix, host name or
 * SNI, default cluster; refusing misdirected and malformed addressing) and turns the cluster's path and query into
 * a {@link dev.gatehouse.classify.RequestInfo} by the apiserver's own rules, refusing every path or query that could
 * be read two ways.
 */
package dev.gatehouse.classify;
