/** Replicas on PostgreSQL: approval-to-release across replicas against one node ({@link dev.gatehouse.bench.replica.ReplicaReleaseBench}). */
package dev.gatehouse.bench.replica;
