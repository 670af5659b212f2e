package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.status.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

class UpgradeTest {
    private static final RequestInfoParser PARSER = new RequestInfoParser();

    private static RequestInfo info(String method, String path) {
        return PARSER.parse("c", method, path, Query.parse("command=sh"));
    }

    private static MultiMap websocket(String protocols) {
        return HttpHeaders.headers().add("Connection", "Upgrade").add("Upgrade", "websocket")
                .add("Sec-WebSocket-Version", "13").add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .add("Sec-WebSocket-Protocol", protocols);
    }

    private static int refusal(String method, MultiMap headers, boolean http2, String path) {
        try {
            Upgrade.of(method, headers, http2, info(method, path));
        } catch (GatewayException e) {
            return e.status().code();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void anOrdinaryRequestIsNoUpgrade() {
        assertThat(Upgrade.of("GET", HttpHeaders.headers().add("Accept", "*/*"), false,
                info("GET", "/api/v1/namespaces/a/pods/p/exec"))).isNull();
    }

    @Test
    void execOverWebSocketKeepsOnlyTheSubprotocolsTheBridgeDecodes() {
        Upgrade upgrade = Upgrade.of("GET", websocket("v6.channel.k8s.io, v5.channel.k8s.io,v4.channel.k8s.io"), false,
                info("GET", "/api/v1/namespaces/a/pods/p/exec"));
        assertThat(upgrade.kind()).isEqualTo(Upgrade.Kind.WEBSOCKET);
        assertThat(upgrade.protocols()).containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io");
        assertThat(upgrade.portForward()).isFalse();
    }

    @Test
    void portForwardOverWebSocketAndSpdy() {
        Upgrade ws = Upgrade.of("GET", websocket("SPDY/3.1+portforward.k8s.io"), false,
                info("GET", "/api/v1/namespaces/a/pods/p/portforward"));
        assertThat(ws.portForward()).isTrue();
        MultiMap spdy = HttpHeaders.headers().add("Connection", "Upgrade").add("Upgrade", "SPDY/3.1")
                .add("X-Stream-Protocol-Version", "portforward.k8s.io");
        assertThat(Upgrade.of("POST", spdy, false, info("POST", "/api/v1/namespaces/a/pods/p/portforward"))
                .protocols()).containsExactly("portforward.k8s.io");
    }

    @Test
    void execOverSpdyWithRepeatedVersionHeaders() {
        MultiMap spdy = HttpHeaders.headers().add("Connection", "Upgrade").add("Upgrade", "SPDY/3.1")
                .add("X-Stream-Protocol-Version", "v5.channel.k8s.io").add("X-Stream-Protocol-Version", "v4.channel.k8s.io")
                .add("X-Stream-Protocol-Version", "channel.k8s.io");
        Upgrade upgrade = Upgrade.of("POST", spdy, false, info("POST", "/api/v1/namespaces/a/pods/p/exec"));
        assertThat(upgrade.kind()).isEqualTo(Upgrade.Kind.SPDY);
        assertThat(upgrade.protocols()).containsExactly("v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io");
    }

    @ParameterizedTest
    @CsvSource({
            // a subprotocol the recording cannot decode, for exec and for port-forward
            "GET, x.k8s.io, /api/v1/namespaces/a/pods/p/exec, 400",
            "GET, v5.channel.k8s.io, /api/v1/namespaces/a/pods/p/portforward, 400",
            // upgrades are bridged only for the three session subresources of a named pod
            "GET, v5.channel.k8s.io, /api/v1/namespaces/a/pods/p/proxy, 501",
            "GET, v5.channel.k8s.io, /api/v1/namespaces/a/services/s/proxy, 501",
            "GET, v5.channel.k8s.io, /api/v1/namespaces/a/pods/p/log, 501",
            "GET, v5.channel.k8s.io, /api/v1/nodes/n/proxy, 501",
            "GET, v5.channel.k8s.io, /version, 501",
            // a WebSocket upgrade is a GET
            "POST, v5.channel.k8s.io, /api/v1/namespaces/a/pods/p/exec, 400"})
    void refusesWhatItCannotBridge(String method, String protocols, String path, int code) {
        assertThat(refusal(method, websocket(protocols), false, path)).isEqualTo(code);
    }

    @Test
    void refusesMalformedUpgrades() {
        String exec = "/api/v1/namespaces/a/pods/p/exec";
        assertThat(refusal("GET", websocket("v5.channel.k8s.io"), true, exec)).isEqualTo(400);
        assertThat(refusal("GET", websocket("v5.channel.k8s.io").set("Sec-WebSocket-Key", "short"), false, exec))
                .isEqualTo(400);
        assertThat(refusal("GET", websocket("v5.channel.k8s.io").set("Sec-WebSocket-Version", "8"), false, exec))
                .isEqualTo(400);
        assertThat(refusal("GET", websocket("v5.channel.k8s.io").set("Upgrade", "h2c"), false, exec)).isEqualTo(400);
        assertThat(refusal("GET", websocket("v5.channel.k8s.io").add("Upgrade", "SPDY/3.1"), false, exec))
                .isEqualTo(400);
        assertThat(refusal("GET", websocket("v5.channel.k8s.io").remove("Connection"), false, exec)).isEqualTo(400);
        assertThat(refusal("GET", HttpHeaders.headers().add("Connection", "keep-alive, Upgrade"), false, exec))
                .isEqualTo(400);
    }

    @Test
    void connectionTokensAreMatchedWhole() {
        MultiMap headers = websocket("v5.channel.k8s.io").set("Connection", "keep-alive, Upgrade");
        assertThat(Upgrade.of("GET", headers, false, info("GET", "/api/v1/namespaces/a/pods/p/exec"))).isNotNull();
        assertThatThrownBy(() -> Upgrade.of("GET", websocket("v5.channel.k8s.io").set("Connection", "upgraded"),
                false, info("GET", "/api/v1/namespaces/a/pods/p/exec"))).isInstanceOf(GatewayException.class);
    }
}
