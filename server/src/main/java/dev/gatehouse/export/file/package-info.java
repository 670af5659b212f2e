/** Export to JSON-lines files with size-based rotation and a retention count, for a SIEM agent to tail. */
package dev.gatehouse.export.file;
