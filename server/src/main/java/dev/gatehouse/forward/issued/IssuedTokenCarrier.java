package dev.gatehouse.forward.issued;

import java.util.Objects;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.forward.IdentityCarrier;
import io.vertx.core.MultiMap;

/**
 * The {@code issued-token} mode as an {@link IdentityCarrier} for one cluster: the request goes up with a
 * token minted for it alone and no impersonation headers (the identity is inside the token).
 */
public final class IssuedTokenCarrier implements IdentityCarrier {
    private final IssuedTokenMinter minter;
    private final String clusterAudience;

    /** @param clusterAudience the audience this cluster's JWT authenticator expects */
    public IssuedTokenCarrier(IssuedTokenMinter minter, String clusterAudience) {
        this.minter = Objects.requireNonNull(minter, "minter");
        this.clusterAudience = Objects.requireNonNull(clusterAudience, "clusterAudience");
    }

    @Override
    public String mode() {
        return "issued-token";
    }

    @Override
    public void carry(Exchange exchange, MultiMap upstreamHeaders) {
        upstreamHeaders.set("Authorization", "Bearer " + minter.mint(exchange.identity(), exchange.id(), clusterAudience));
    }
}
