package dev.gatehouse.api;

import java.util.List;
import java.util.Set;

import dev.gatehouse.identity.Identity;

/**
 * Who may do something through the audit API: an identity named in {@code users} or holding one of {@code groups}.
 * Names are compared exactly as the authenticator reports them (with the issuer's prefix). Empty lists admit
 * nobody. {@link #of} is {@code audit.readers} (read the evidence), {@link #keyAdmins} {@code audit.keyAdmins}
 * (rotate the checkpoint signing key).
 *
 * @param setting the setting whose lists decide, named in every refusal
 * @param action  what they admit to, as the refusal says it ("read the audit evidence")
 */
public record EvidenceReaders(Set<String> groups, Set<String> users, String setting, String action) {
    /** The setting of the readers, named in their refusals. */
    public static final String SETTING = "audit.readers";
    /** The setting of who may rotate the checkpoint signing key. */
    public static final String KEY_ADMINS = "audit.keyAdmins";

    public EvidenceReaders {
        groups = Set.copyOf(groups);
        users = Set.copyOf(users);
    }

    public EvidenceReaders(Set<String> groups, Set<String> users) {
        this(groups, users, SETTING, "read the audit evidence");
    }

    public static EvidenceReaders of(List<String> groups, List<String> users) {
        return new EvidenceReaders(Set.copyOf(groups), Set.copyOf(users));
    }

    /** Who may rotate the checkpoint signing key ({@code audit.keyAdmins}). */
    public static EvidenceReaders keyAdmins(List<String> groups, List<String> users) {
        return new EvidenceReaders(Set.copyOf(groups), Set.copyOf(users), KEY_ADMINS,
                "rotate the audit log's signing key");
    }

    /** Who may end a live session ({@code audit.sessions.moderators}). */
    public static EvidenceReaders moderators(List<String> groups, List<String> users) {
        return new EvidenceReaders(Set.copyOf(groups), Set.copyOf(users), "audit.sessions.moderators",
                "end another user's session");
    }

    public static EvidenceReaders nobody() {
        return new EvidenceReaders(Set.of(), Set.of());
    }

    /** True when {@code identity} is admitted. */
    public boolean admit(Identity identity) {
        return users.contains(identity.user()) || identity.groups().stream().anyMatch(groups::contains);
    }

    /** The Forbidden message for {@code identity}: what was refused and which setting would allow it. */
    public String refusal(Identity identity) {
        String who = "User \"" + identity.user() + "\" cannot " + action + ": ";
        if (groups.isEmpty() && users.isEmpty()) {
            return who + "no one may until " + setting + " (groups or users) is set in the gateway's configuration";
        }
        return who + "only the users and groups listed in " + setting + " may";
    }
}
