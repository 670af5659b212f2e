/** Status: Kubernetes {@code Status} errors, the one shape in which the gateway refuses a request. */
package dev.gatehouse.status;
