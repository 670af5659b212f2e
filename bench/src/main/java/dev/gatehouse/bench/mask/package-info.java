/** Benchmarks of Secret masking: throughput of the streaming masker against copies measured in the same run. */
package dev.gatehouse.bench.mask;
