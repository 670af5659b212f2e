/** {@code gatehouse request}: ask for time-boxed access (a grant), and optionally wait for the decision. */
package dev.gatehouse.cli.request;
