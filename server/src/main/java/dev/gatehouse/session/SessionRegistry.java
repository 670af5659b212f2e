package dev.gatehouse.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions open on this gateway, by id: listed, watched and ended by operators. */
public final class SessionRegistry {
    private final Map<String, Session> live = new ConcurrentHashMap<>();

    void add(Session session) {
        live.put(session.id(), session);
    }

    void remove(String id) {
        live.remove(id);
    }

    public Optional<Session> get(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public List<Session> all() {
        return List.copyOf(live.values());
    }
}
