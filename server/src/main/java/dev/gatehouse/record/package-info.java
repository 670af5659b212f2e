/** Record: turns exchanges into audit events, and keeps requests from reaching a cluster unrecorded. */
package dev.gatehouse.record;
