package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;

class ClusterRoutesTest {
    private static final ClusterRoutes ROUTES = new ClusterRoutes(Set.of("prod", "staging", "dev"),
            Map.of("prod.gw.example.com", "prod", "prod.internal.example.com", "prod",
                    "staging.gw.example.com", "staging"), "dev");
    private static final ClusterRoutes NO_DEFAULT = new ClusterRoutes(Set.of("prod", "staging"),
            Map.of("prod.gw.example.com", "prod"), null);

    /** An HTTP/1.1 request with these Host headers (none for null) over a connection with this SNI (or none). */
    static RequestHead h1(String path, String sni, String... hosts) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String h : hosts) {
            headers.add("Host", h);
        }
        return new RequestHead("GET", path, "", headers, "127.0.0.1", false, null, sni, true);
    }

    static RequestHead h2(String path, String sni, String authority, String... hosts) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String h : hosts) {
            headers.add("host", h);
        }
        return new RequestHead("GET", path, "", headers, "127.0.0.1", true, authority, sni, true);
    }

    static int refusal(ClusterRoutes routes, RequestHead head) {
        try {
            routes.route(head);
        } catch (GatewayException e) {
            return e.status().code();
        }
        throw new AssertionError("not refused: " + head);
    }

    @Test
    void routesAHostNameToItsClusterWithTheWholePath() {
        assertThat(ROUTES.route(h1("/version", "prod.gw.example.com", "prod.gw.example.com:8443")))
                .isEqualTo(new ClusterRoutes.Route("prod", "/version"));
        assertThat(ROUTES.route(h1("/api/v1/pods", "prod.internal.example.com", "prod.internal.example.com")))
                .isEqualTo(new ClusterRoutes.Route("prod", "/api/v1/pods"));
        assertThat(ROUTES.route(h2("/apis", "staging.gw.example.com", "staging.gw.example.com:443")))
                .isEqualTo(new ClusterRoutes.Route("staging", "/apis"));
    }

    @Test
    void matchesHostsCaseInsensitivelyWithoutPortAndTrailingDot() {
        assertThat(ROUTES.route(h1("/version", "PROD.gw.example.COM", "Prod.GW.Example.com.:8443")).cluster())
                .isEqualTo("prod");
        assertThat(ROUTES.route(h1("/version", null, "prod.gw.example.com.")).cluster()).isEqualTo("prod");
    }

    @Test
    void thePathPrefixWinsOnAnyHost() {
        assertThat(ROUTES.route(h1("/clusters/staging/api", "prod.gw.example.com", "prod.gw.example.com")))
                .isEqualTo(new ClusterRoutes.Route("staging", "/api"));
        assertThat(ROUTES.route(h1("/clusters/prod", null, "gw.example.com")))
                .isEqualTo(new ClusterRoutes.Route("prod", "/"));
        // an unknown name is still read from the path; ClassifyStage answers 404 for it
        assertThat(ROUTES.route(h1("/clusters/nope/api", null, "gw.example.com")).cluster()).isEqualTo("nope");
    }

    @Test
    void otherHostsGetTheDefaultClusterOrNothing() {
        assertThat(ROUTES.route(h1("/version", "gw.example.com", "gw.example.com:8443")))
                .isEqualTo(new ClusterRoutes.Route("dev", "/version"));
        assertThat(ROUTES.route(h1("/version", null, "127.0.0.1:8443"))).isEqualTo(new ClusterRoutes.Route("dev",
                "/version"));
        assertThat(ROUTES.route(h1("/", null))).isEqualTo(new ClusterRoutes.Route("dev", "/"));
        assertThat(NO_DEFAULT.route(h1("/version", "gw.example.com", "gw.example.com"))).isNull();
        assertThat(NO_DEFAULT.route(h1("/api", null, "staging.gw.example.com"))).isNull(); // not staging's name here
    }

    @Test
    void anIpAddressedRequestIsRoutedByItsServerName() {
        // kubectl with server https://10.0.0.5:8443 and tls-server-name prod.gw.example.com
        assertThat(ROUTES.route(h1("/version", "prod.gw.example.com", "10.0.0.5:8443")))
                .isEqualTo(new ClusterRoutes.Route("prod", "/version"));
        assertThat(ROUTES.route(h2("/version", "staging.gw.example.com", "[::1]:8443")).cluster())
                .isEqualTo("staging");
        assertThat(ROUTES.route(h1("/version", "staging.gw.example.com")).cluster()).isEqualTo("staging");
    }

    @Test
    void aHostThatDiffersFromTheServerNameOfAClusterConnectionIs421() {
        // a forged Host over a connection made for another cluster
        assertThat(refusal(ROUTES, h1("/api", "prod.gw.example.com", "staging.gw.example.com"))).isEqualTo(421);
        // a cluster's name over the gateway's own connection, and the gateway's name over a cluster's connection
        assertThat(refusal(ROUTES, h1("/api", "gw.example.com", "prod.gw.example.com"))).isEqualTo(421);
        assertThat(refusal(ROUTES, h1("/api", "prod.gw.example.com", "gw.example.com"))).isEqualTo(421);
        assertThat(refusal(ROUTES, h1("/api", "prod.gw.example.com", "localhost:8443"))).isEqualTo(421);
        // HTTP/2 connection reuse for another name (RFC 9113 9.1.1), and the path prefix does not bypass it
        assertThat(refusal(ROUTES, h2("/api", "prod.gw.example.com", "staging.gw.example.com:8443"))).isEqualTo(421);
        assertThat(refusal(ROUTES, h2("/clusters/prod/api", "staging.gw.example.com", "prod.gw.example.com")))
                .isEqualTo(421);
        // two names of the same cluster are still two names
        assertThat(refusal(ROUTES, h1("/api", "prod.internal.example.com", "prod.gw.example.com"))).isEqualTo(421);
    }

    @Test
    void namesThatAreNoClusterMayDifferFromTheServerName() {
        // neither names a cluster: the default cluster, as without host routing
        assertThat(ROUTES.route(h1("/api", "gw.example.com", "other.example.com")).cluster()).isEqualTo("dev");
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod.gw.example.com/api", "prod.gw.example.com:", "prod.gw.example.com:x",
            "prod.gw.example.com:99999", "user@prod.gw.example.com", "prod.gw.example.com:8443:1", "[::1",
            "[::1]x", "[zz]", "", " ", ".", "prod..gw.example.com", "prod.gw.example.com\u0000",
            "prod.gw.example.com%2e", "prod_gw.example.com"})
    void refusesHostsThatAreNotAHostWithAnOptionalPort(String host) {
        assertThat(refusal(ROUTES, h1("/version", null, host))).isEqualTo(400);
    }

    @Test
    void refusesTwoHostsAndAnHttp2HostThatDiffersFromTheAuthority() {
        assertThat(refusal(ROUTES, h1("/version", null, "prod.gw.example.com", "staging.gw.example.com")))
                .isEqualTo(400);
        assertThat(refusal(ROUTES, h1("/version", null, "gw.example.com", "gw.example.com"))).isEqualTo(400);
        assertThat(refusal(ROUTES, h2("/version", null, "gw.example.com", "prod.gw.example.com"))).isEqualTo(400);
        // the same value in both is what some clients send
        assertThat(ROUTES.route(h2("/version", null, "prod.gw.example.com", "prod.gw.example.com")).cluster())
                .isEqualTo("prod");
    }

    @Test
    void refusesRequestTargetsThatAreNotAPath() {
        RequestHead absolute = new RequestHead("GET", "/version", "", MultiMap.caseInsensitiveMultiMap()
                .add("Host", "gw.example.com"), "127.0.0.1", false, null, null, false);
        assertThat(refusal(ROUTES, absolute)).isEqualTo(400);
    }

    @Test
    void classifyStageRecordsTheTargetAndAnswers404ForUnknownClustersAndUnroutedPaths() {
        ClassifyStage stage = new ClassifyStage(NO_DEFAULT);
        Exchange byHost = new Exchange(h1("/api/v1/namespaces/dev/pods", "prod.gw.example.com",
                "prod.gw.example.com"));
        stage.apply(byHost);
        assertThat(byHost.cluster()).isEqualTo("prod");
        assertThat(byHost.upstreamPath()).isEqualTo("/api/v1/namespaces/dev/pods");
        assertThat(byHost.info().resource()).isEqualTo("pods");
        assertThat(byHost.info().verb()).isEqualTo("list");

        Exchange unknown = new Exchange(h1("/clusters/nope/api", null, "gw.example.com"));
        assertThatThrownBy(() -> stage.apply(unknown)).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(404));
        assertThat(unknown.cluster()).isEqualTo("nope");
        assertThatThrownBy(() -> stage.apply(new Exchange(h1("/version", null, "gw.example.com"))))
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(404));
    }

    @Test
    void serverUrlsUseTheHostNameTheRootOrThePathPrefix() {
        ClusterRoutes routes = new ClusterRoutes(new java.util.LinkedHashSet<>(java.util.List.of("prod", "staging",
                "dev")), new java.util.LinkedHashMap<>(Map.of("prod.gw.example.com", "prod")), "dev");
        assertThat(routes.serverUrls("GW.example.com:8443")).containsExactly(
                Map.entry("prod", "https://prod.gw.example.com:8443"),
                Map.entry("staging", "https://gw.example.com:8443/clusters/staging"),
                Map.entry("dev", "https://gw.example.com:8443"));
        assertThat(routes.serverUrls("127.0.0.1")).containsEntry("prod", "https://prod.gw.example.com")
                .containsEntry("dev", "https://127.0.0.1");
        assertThat(routes.serverUrls("gw.example.com/evil")).isEmpty();
        assertThat(routes.serverUrls(null)).isEmpty();
    }

    @Test
    void theLoginMetadataNamesEachClustersServerForTheAuthorityTheClientUsed() throws Exception {
        ClusterRoutes routes = new ClusterRoutes(new java.util.LinkedHashSet<>(java.util.List.of("prod", "dev")),
                Map.of("prod.gw.example.com", "prod"), "dev");
        dev.gatehouse.authn.oidc.OidcIssuerConfig people = dev.gatehouse.authn.oidc.OidcIssuerConfig
                .builder("authentication.oidc[0]").issuerUrl("https://idp.example.com")
                .audiences(java.util.List.of("gatehouse")).build();
        var endpoint = new dev.gatehouse.authn.oidc.LoginMetadataEndpoint(people, "gatehouse",
                java.util.List.of("openid"), () -> java.util.List.copyOf(routes.clusters()), routes::serverUrls);
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(endpoint.json("gw.example.com:8443"));
        assertThat(doc.path("clusters").toString()).isEqualTo("[\"prod\",\"dev\"]");
        assertThat(doc.path("servers").path("prod").asText()).isEqualTo("https://prod.gw.example.com:8443");
        assertThat(doc.path("servers").path("dev").asText()).isEqualTo("https://gw.example.com:8443");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(endpoint.json(null)).has("servers"))
                .isFalse();
    }

    @Test
    void refusesAHostNameOfAnUnknownClusterAndAnUnknownDefault() {
        assertThatThrownBy(() -> new ClusterRoutes(Set.of("a"), Map.of("x.example.com", "b"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterRoutes(Set.of("a"), Map.of(), "b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
