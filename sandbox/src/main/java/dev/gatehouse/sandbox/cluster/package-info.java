/**
 * What the rest of a cluster would do: defaulting and status at write time ({@link
 * dev.gatehouse.sandbox.cluster.SimulatedCluster}), deployment, replica set and namespace controllers ({@link
 * dev.gatehouse.sandbox.cluster.Controllers}) and the events they record.
 */
package dev.gatehouse.sandbox.cluster;
