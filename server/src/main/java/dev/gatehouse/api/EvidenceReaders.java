package dev.gatehouse.api;

import java.util.List;
import java.util.Set;

import dev.gatehouse.identity.Identity;

/**
 * Who may read the evidence through the API ({@code audit.readers}): an identity named in {@code users} or holding
 * one of {@code groups}. Names are compared exactly as the authenticator reports them (with the issuer's prefix).
 * Empty lists admit nobody.
 */
public record EvidenceReaders(Set<String> groups, Set<String> users) {
    /** The setting whose lists decide, named in every refusal. */
    public static final String SETTING = "audit.readers";

    public EvidenceReaders {
        groups = Set.copyOf(groups);
        users = Set.copyOf(users);
    }

    public static EvidenceReaders of(List<String> groups, List<String> users) {
        return new EvidenceReaders(Set.copyOf(groups), Set.copyOf(users));
    }

    public static EvidenceReaders nobody() {
        return new EvidenceReaders(Set.of(), Set.of());
    }

    /** True when {@code identity} may read the evidence. */
    public boolean admit(Identity identity) {
        return users.contains(identity.user()) || identity.groups().stream().anyMatch(groups::contains);
    }

    /** The Forbidden message for {@code identity}: what was refused and which setting would allow it. */
    public String refusal(Identity identity) {
        String who = "User \"" + identity.user() + "\" cannot read the audit evidence: ";
        if (groups.isEmpty() && users.isEmpty()) {
            return who + "no one may until " + SETTING + " (groups or users) is set in the gateway's configuration";
        }
        return who + "only the users and groups listed in " + SETTING + " may";
    }
}
