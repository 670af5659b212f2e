/** JMH benchmarks of authentication: signature checks, the verified-token cache, first-seen tokens. */
package dev.gatehouse.bench.authn;
