/** The Kafka exporter: each event one record, acknowledged by every in-sync replica before the cursor moves. */
package dev.gatehouse.export.kafka;
