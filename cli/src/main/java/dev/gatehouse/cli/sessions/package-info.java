/** {@code gatehouse sessions}: list, show, replay, export, watch and end exec, attach and port-forward sessions. */
package dev.gatehouse.cli.sessions;
