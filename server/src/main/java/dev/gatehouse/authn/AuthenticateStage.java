package dev.gatehouse.authn;

import java.time.Instant;
import java.util.List;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;

/**
 * Reads the bearer token (exactly one {@code Authorization: Bearer} header), asks the authenticator, and
 * puts the identity on the exchange; anything else ends the request with 401. The token itself goes no
 * further: the forward stage never copies the client's Authorization header.
 */
public final class AuthenticateStage implements Stage {
    private final Authenticator authenticator;

    public AuthenticateStage(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        List<String> values = exchange.head().headers().getAll("Authorization");
        if (values.isEmpty()) {
            return Future.failedFuture(GatewayException.unauthorized("Unauthorized: no bearer token was presented"));
        }
        if (values.size() > 1) {
            return Future.failedFuture(GatewayException.unauthorized("Unauthorized: more than one Authorization header"));
        }
        String value = values.get(0);
        if (value.length() < 8 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(GatewayException.unauthorized("Unauthorized: only bearer tokens are accepted"));
        }
        String token = value.substring(7).trim();
        if (token.isEmpty() || !printableAscii(token)) {
            return Future.failedFuture(GatewayException.unauthorized("Unauthorized: malformed bearer token"));
        }
        return authenticator.authenticate(new Credential(token)).compose(result -> switch (result) {
            case AuthenticationResult.Authenticated a -> {
                if (a.identity().expiredAt(Instant.now())) {
                    // e.g. an OIDC token past exp but within the issuer's clock skew: refused, and named in the audit
                    exchange.refusedCredential(a.identity().credentialId());
                    yield Future.failedFuture(GatewayException.unauthorized("Unauthorized: the token has expired"));
                }
                exchange.identity(a.identity());
                yield Future.<Void>succeededFuture();
            }
            case AuthenticationResult.Rejected r -> {
                exchange.refusedCredential(r.credentialId());
                yield Future.failedFuture(GatewayException.unauthorized("Unauthorized: " + r.reason()));
            }
            case AuthenticationResult.Abstain ignored -> {
                exchange.refusedCredential(TokenFingerprint.of(token));
                yield Future.failedFuture(GatewayException.unauthorized(
                        "Unauthorized: the bearer token is not recognised by any configured authenticator"));
            }
        });
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
