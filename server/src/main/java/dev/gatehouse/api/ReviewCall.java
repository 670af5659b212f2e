package dev.gatehouse.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.gatehouse.review.ReviewState;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * One call of the reviews API, parsed from its method, path and query before anything is looked up: a path that
 * is not one of the API's is 404, a known path with the wrong method 405, a malformed id or query 400.
 */
sealed interface ReviewCall {
    /** The reviews' path; {@code <id>} and {@code <id>/<action>} below it. */
    String REVIEWS = "/gatehouse/v1/reviews";
    /** The grants' path; {@code <id>} and {@code <id>/<action>} below it. */
    String GRANTS = "/gatehouse/v1/grants";
    /** What an id may look like: {@code r-} or {@code g-} and base32; anything else never reaches the service. */
    Pattern ID = Pattern.compile("[a-z]-[A-Za-z0-9]{1,64}");

    /** What a call is about. */
    enum Kind {
        REVIEW, GRANT;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a POST to {@code <id>/<action>} does. */
    enum Action {
        APPROVE, DENY, CANCEL, REVOKE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind();

    /** True when the call carries a JSON body. */
    default boolean hasBody() {
        return false;
    }

    /** {@code GET reviews|grants[?state=&limit=]}; {@code state} null for all. */
    record Listing(Kind kind, ReviewState state, int limit) implements ReviewCall {
    }

    /** {@code GET reviews/<id>} or {@code grants/<id>}. */
    record Show(Kind kind, String id) implements ReviewCall {
    }

    /** {@code POST reviews/<id>/<action>} or {@code grants/<id>/<action>}, body {@code {"reason": ...}}. */
    record Act(Kind kind, String id, Action action) implements ReviewCall {
        @Override
        public boolean hasBody() {
            return true;
        }
    }

    /** {@code POST grants}, body: the scope, duration and reason. */
    record RequestGrant() implements ReviewCall {
        @Override
        public Kind kind() {
            return Kind.GRANT;
        }

        @Override
        public boolean hasBody() {
            return true;
        }
    }

    /** True for the paths this API answers (everything under its two prefixes). */
    static boolean owns(String path) {
        return path.equals(REVIEWS) || path.startsWith(REVIEWS + "/") || path.equals(GRANTS)
                || path.startsWith(GRANTS + "/");
    }

    /**
     * @param defaultLimit the list size when {@code limit} is not given
     * @param maxLimit     the largest list size; a larger {@code limit} is capped
     */
    static ReviewCall parse(HttpMethod method, String path, MultiMap params, int defaultLimit, int maxLimit) {
        Kind kind = path.startsWith(REVIEWS) ? Kind.REVIEW : Kind.GRANT;
        String rest = path.substring((kind == Kind.REVIEW ? REVIEWS : GRANTS).length());
        if (rest.isEmpty() || rest.equals("/")) {
            if (kind == Kind.GRANT && method == HttpMethod.POST) {
                noQuery(params);
                return new RequestGrant();
            }
            expect(method, HttpMethod.GET);
            return listing(kind, params, defaultLimit, maxLimit);
        }
        List<String> segments = List.of(rest.substring(1).split("/", -1));
        if (segments.size() > 2) {
            throw notFound(path);
        }
        String id = id(kind, segments.get(0));
        noQuery(params);
        if (segments.size() == 1) {
            expect(method, HttpMethod.GET);
            return new Show(kind, id);
        }
        Action action = action(kind, segments.get(1), path);
        expect(method, HttpMethod.POST);
        return new Act(kind, id, action);
    }

    private static ReviewCall listing(Kind kind, MultiMap params, int defaultLimit, int maxLimit) {
        for (String name : params.names()) {
            if (!Set.of("state", "limit").contains(name) || params.getAll(name).size() > 1) {
                throw GatewayException.badRequest("query parameter \"" + Replies.shorten(name)
                        + "\" (expected: state and limit, each at most once)");
            }
        }
        return new Listing(kind, state(params.get("state")), limit(params.get("limit"), defaultLimit, maxLimit));
    }

    /** A state's wire name, or {@code all} (or nothing) for every state. */
    static ReviewState state(String value) {
        if (value == null || value.equals("all")) {
            return null;
        }
        for (ReviewState state : ReviewState.values()) {
            if (state.wireName().equals(value)) {
                return state;
            }
        }
        throw GatewayException.badRequest("state: \"" + Replies.shorten(value) + "\" (expected: one of "
                + String.join(", ", java.util.Arrays.stream(ReviewState.values()).map(ReviewState::wireName)
                .toList()) + ", all)");
    }

    private static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1) {
                return Math.min(limit, maxLimit);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw GatewayException.badRequest("limit: \"" + Replies.shorten(value) + "\" (expected: a number >= 1)");
    }

    private static String id(Kind kind, String segment) {
        if (segment.isEmpty()) {
            throw GatewayException.notFound("the path names no " + kind.word());
        }
        if (!ID.matcher(segment).matches()) {
            throw GatewayException.badRequest(kind.word() + " id \"" + Replies.shorten(segment)
                    + "\" is malformed (expected: " + (kind == Kind.REVIEW ? "r-" : "g-")
                    + " and letters or digits, as 'gatehouse " + kind.word() + "s list' shows)");
        }
        return segment;
    }

    private static Action action(Kind kind, String segment, String path) {
        for (Action action : Action.values()) {
            if (action.word().equals(segment) && (kind == Kind.GRANT || action != Action.REVOKE)) {
                return action;
            }
        }
        throw notFound(path);
    }

    private static void expect(HttpMethod method, HttpMethod expected) {
        if (method != expected) {
            throw GatewayException.methodNotAllowed(method.name());
        }
    }

    private static void noQuery(MultiMap params) {
        if (!params.isEmpty()) {
            throw GatewayException.badRequest("this path takes no query parameters");
        }
    }

    private static GatewayException notFound(String path) {
        return GatewayException.notFound("no such path in the reviews API: " + Replies.shorten(path));
    }
}
