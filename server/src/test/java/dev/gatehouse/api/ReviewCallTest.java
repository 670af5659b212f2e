package dev.gatehouse.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/** The API's paths, parsed in memory: what each is, and what is refused with which code. */
class ReviewCallTest {
    static ReviewCall parse(String method, String path, String query) {
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.add(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return ReviewCall.parse(HttpMethod.valueOf(method), path, params, 100, 500);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET | /gatehouse/v1/reviews |  | Listing[kind=REVIEW, state=null, limit=100]",
            "GET | /gatehouse/v1/reviews/ | state=pending | Listing[kind=REVIEW, state=PENDING, limit=100]",
            "GET | /gatehouse/v1/grants | state=all&limit=9999 | Listing[kind=GRANT, state=null, limit=500]",
            "GET | /gatehouse/v1/reviews/r-abc |  | Show[kind=REVIEW, id=r-abc]",
            "POST | /gatehouse/v1/reviews/r-abc/approve |  | Act[kind=REVIEW, id=r-abc, action=APPROVE]",
            "POST | /gatehouse/v1/grants/g-abc/revoke |  | Act[kind=GRANT, id=g-abc, action=REVOKE]",
            "POST | /gatehouse/v1/grants |  | RequestGrant[]"})
    void parsesTheApisPaths(String method, String path, String query, String parsed) {
        assertThat(parse(method, path, query).toString()).isEqualTo(parsed);
    }

    @ParameterizedTest
    @CsvSource({
            "GET,    /gatehouse/v1/reviews/r-abc/approve/x,  ,          404",
            "POST,   /gatehouse/v1/reviews/r-abc/revoke,     ,          404",
            "POST,   /gatehouse/v1/reviews/r-abc/delete,     ,          404",
            "GET,    /gatehouse/v1/reviews//,                ,          404",
            "GET,    /gatehouse/v1/reviews/..,               ,          400",
            "GET,    /gatehouse/v1/reviews/r-a%2Fb,          ,          400",
            "GET,    /gatehouse/v1/reviews/R-abc,            ,          400",
            "GET,    /gatehouse/v1/reviews/r-abc,            x=1,       400",
            "GET,    /gatehouse/v1/reviews,                  limit=-1,  400",
            "POST,   /gatehouse/v1/reviews,                  ,          405",
            "DELETE, /gatehouse/v1/reviews/r-abc,            ,          405",
            "GET,    /gatehouse/v1/reviews/r-abc/approve,    ,          405",
            "PUT,    /gatehouse/v1/grants,                   ,          405"})
    void refusesWithTheRightCode(String method, String path, String query, int code) {
        assertThatThrownBy(() -> parse(method, path, query)).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status().code()).isEqualTo(code));
    }

    @ParameterizedTest
    @CsvSource({"/gatehouse/v1/reviews, true", "/gatehouse/v1/grants/g-x, true", "/gatehouse/v1/reviewsx, false",
            "/gatehouse/v1/audit/events, false", "/gatehouse/v1/grant, false"})
    void ownsOnlyItsTwoPrefixes(String path, boolean owned) {
        assertThat(ReviewCall.owns(path)).isEqualTo(owned);
    }
}
