package dev.gatehouse.sandbox.idp;

import java.util.List;

/**
 * A user of the demo identity provider.
 *
 * @param username the login name, which becomes {@code sub} and {@code preferred_username}
 * @param email    the e-mail address claim
 * @param groups   the {@code groups} claim
 */
public record DemoUser(String username, String email, List<String> groups) {
    public DemoUser {
        groups = List.copyOf(groups);
    }

    /** The demo's users: alice the developer, bob the SRE, carol the auditor. */
    public static List<DemoUser> defaults() {
        return List.of(
                new DemoUser("alice", "alice@demo.gatehouse.dev", List.of("developers")),
                new DemoUser("bob", "bob@demo.gatehouse.dev", List.of("sre", "developers")),
                new DemoUser("carol", "carol@demo.gatehouse.dev", List.of("auditors")));
    }
}
