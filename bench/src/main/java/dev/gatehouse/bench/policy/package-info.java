/** Benchmarks of policy decisions ({@code dev.gatehouse.policy}). */
package dev.gatehouse.bench.policy;
