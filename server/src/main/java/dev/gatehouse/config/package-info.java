/** Config: one immutable record per concern, loaded from YAML and validated with errors that name the key. */
package dev.gatehouse.config;
