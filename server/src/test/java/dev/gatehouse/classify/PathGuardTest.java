package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.status.GatewayException;

class PathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "/clusters/c1/api/v1/namespaces/default%2Fsecrets",  // the apiserver serves this as a Secrets list
            "/clusters/c1/api/v1/namespaces/default%2fsecrets",
            "/clusters/c1/api/v1/namespaces/%64efault/secrets",  // %64 = 'd'
            "/clusters/c1/api/v1/namespaces/default/%2E%2E/kube-system/secrets",
            "/clusters/c1/api/v1/namespaces/default/../kube-system/secrets",
            "/clusters/c1/api/v1/namespaces/default/./secrets",
            "/clusters/c1/api/v1//namespaces/default/secrets",
            "/clusters/c1/api/v1/namespaces/default/secrets/",
            "/clusters/c1/api/v1/namespaces/default\\secrets",
            "/clusters/c1/api/v1/namespaces/default;x=y/secrets",
            "/clusters/c1/api/v1/namespaces/d\u00e9fault/secrets",
            "/clusters/c1/api/v1/namespaces/default\u0000/secrets",
            "/clusters/c1/api/v1/namespaces/default\r\nX: y/secrets",
            "clusters/c1/api/v1/pods",
            "",
    })
    void refusesPathsTheApiserverCouldReadDifferently(String path) {
        assertThatThrownBy(() -> PathGuard.check(path))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/clusters/c1/api/v1/namespaces/default/pods",
            "/clusters/c1/apis/rbac.authorization.k8s.io/v1/clusterroles/system:aggregate-to-admin",
            "/clusters/c1/api/v1/namespaces/a/pods/b/log", "/clusters/c1/openapi/v3/apis/apps/v1"})
    void acceptsWhatKubectlSends(String path) {
        assertThat(PathGuard.check(path)).isEqualTo(path);
    }

    @org.junit.jupiter.api.Test
    void errorMessagesNeverEchoControlCharacters() {
        assertThatThrownBy(() -> PathGuard.check("/a/b\r\nSet-Cookie: x"))
                .hasMessageNotContaining("\r").hasMessageNotContaining("\n");
    }
}
