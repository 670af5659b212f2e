/**
 * A test kit that runs the real kubectl binary with a private kubeconfig and cache directory, for the sandbox's
 * tests and the gateway's end-to-end tests.
 */
package dev.gatehouse.sandbox.kubectl;
