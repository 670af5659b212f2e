/**
 * The chain: {@link dev.gatehouse.chain.Exchange} (the per-request context), {@link dev.gatehouse.chain.Stage},
 * and {@link dev.gatehouse.chain.GatewayChain}, the one file that lists the stages in request order.
 */
package dev.gatehouse.chain;
