/** Benchmarks of the audit log: durable events per second with group commit, and the durability wait. */
package dev.gatehouse.bench.audit;
