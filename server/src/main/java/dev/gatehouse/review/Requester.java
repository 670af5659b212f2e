package dev.gatehouse.review;

import java.util.List;
import java.util.Objects;

import dev.gatehouse.identity.Identity;

/**
 * A person (or pipeline) as a review records them: enough to decide "who may approve" and to audit, never a
 * credential.
 *
 * @param user       the user name as the gateway authenticated it
 * @param groups     its groups
 * @param issuer     who vouched for it
 * @param method     how it was authenticated (wire name)
 * @param actorChain delegated agents acting for {@code user}, outermost first
 */
public record Requester(String user, List<String> groups, String issuer, String method, List<String> actorChain) {
    public Requester {
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups == null ? List.of() : groups);
        issuer = issuer == null ? "" : issuer;
        method = method == null ? "" : method;
        actorChain = List.copyOf(actorChain == null ? List.of() : actorChain);
    }

    public static Requester of(Identity identity) {
        return new Requester(identity.user(), identity.groups(), identity.issuer(), identity.method().wireName(),
                identity.actorChain().stream().map(Identity.Actor::subject).toList());
    }
}
