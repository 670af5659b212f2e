/**
 * Gateway replicas on one PostgreSQL ({@code store: kind: postgres}): {@link dev.gatehouse.replica.SharedDatabase}
 * (the pool, the schema's Flyway migrations from {@code db/postgres}, and a failure that fails closed with 503),
 * {@link dev.gatehouse.replica.ChangeNotifications} (LISTEN/NOTIFY on a dedicated connection, so a held request on
 * one replica is released by an approval that arrives at another) and {@link dev.gatehouse.replica.ReplicaRegistry}
 * (each replica's signing key registered once, so two replicas never sign with one key).
 */
package dev.gatehouse.replica;
