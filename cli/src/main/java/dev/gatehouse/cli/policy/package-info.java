/**
 * {@code gatehouse policy validate|test|simulate}: check a policy file, ask it about one request, and replay the
 * recorded requests of the audit log against a candidate policy before putting it in force.
 */
package dev.gatehouse.cli.policy;
