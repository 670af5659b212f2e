/** The requests the sandbox received, kept so that tests can assert what the upstream of the gateway saw. */
package dev.gatehouse.sandbox.recording;
