package dev.gatehouse.audit.verify;

/**
 * How many events a cluster has on a day, for completeness checks ("every day of the quarter has events for
 * prod", "no gap in the sequence").
 *
 * @param cluster  the cluster, or "-" for events not about a cluster
 * @param day      the UTC day, {@code yyyy-MM-dd}, from the event's stage timestamp
 * @param events   how many events
 * @param firstSeq the first position seen for that cluster and day
 * @param lastSeq  the last position seen
 */
public record PeriodCount(String cluster, String day, long events, long firstSeq, long lastSeq) {
}
