package dev.gatehouse.listen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;

class HeaderGuardTest {

    @ParameterizedTest
    @CsvSource({"Impersonate-User,admin,403", "impersonate-group,system:masters,403", "IMPERSONATE-UID,0,403",
            "Impersonate-Extra-scopes,x,403", "X-Remote-User,admin,403", "x-remote-group,system:masters,403",
            "Upgrade,websocket,400"})
    void refusesIdentityAndUpgradeHeadersInAnyCase(String name, String value, int code) {
        Future<Void> result = new HeaderGuard().apply(exchange(name, value));
        assertThat(result.failed()).isTrue();
        assertThat(((GatewayException) result.cause()).status().code()).isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource({"Accept,application/json", "X-Forwarded-For,10.0.0.1", "Kubectl-Command,kubectl get"})
    void passesOrdinaryHeaders(String name, String value) {
        assertThat(new HeaderGuard().apply(exchange(name, value)).succeeded()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void refusesAnImpersonationHeaderHiddenAmongRepeats() {
        var headers = HttpHeaders.headers().add("Accept", "a").add("Accept", "b").add("impersonate-user", "x");
        var ex = new Exchange(new RequestHead("GET", "/clusters/c/api", "", headers, "127.0.0.1", true));
        assertThat(new HeaderGuard().apply(ex).failed()).isTrue();
    }

    static Exchange exchange(String name, String value) {
        return new Exchange(new RequestHead("GET", "/clusters/c/api/v1/pods", "",
                HttpHeaders.headers().add(name, value), "127.0.0.1", false));
    }
}
