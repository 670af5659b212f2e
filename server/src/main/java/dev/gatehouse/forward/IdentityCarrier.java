package dev.gatehouse.forward;

import dev.gatehouse.chain.Exchange;
import io.vertx.core.MultiMap;

/**
 * How a cluster learns who is asking: it sets the upstream {@code Authorization} and identity headers for
 * one request. {@code impersonate} (the gateway's credential plus impersonation headers) is the default;
 * the per-request issued-token mode is another implementation.
 */
public interface IdentityCarrier {
    /** The mode's name as written in the config and the audit log. */
    String mode();

    /** Adds the upstream credential and identity headers for {@code exchange}. */
    void carry(Exchange exchange, MultiMap upstreamHeaders);

    /** The default mode: the gateway's own credential plus impersonation headers. */
    static IdentityCarrier impersonate(UpstreamCredential credential) {
        return new IdentityCarrier() {
            @Override
            public String mode() {
                return "impersonate";
            }

            @Override
            public void carry(Exchange exchange, MultiMap headers) {
                String token = credential.bearerToken();
                if (token != null) {
                    headers.set("Authorization", "Bearer " + token);
                }
                Impersonation.apply(exchange.identity(), exchange.id(), headers);
            }
        };
    }
}
