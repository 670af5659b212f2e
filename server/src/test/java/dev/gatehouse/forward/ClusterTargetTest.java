package dev.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.config.ConfigException;

class ClusterTargetTest {
    @TempDir
    Path dir;

    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private Path kubeconfig(String user, String clusterExtra) throws Exception {
        String caData = Base64.getEncoder().encodeToString(CA.getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: prod
                clusters:
                - name: prod-cluster
                  cluster:
                    server: https://10.0.0.1:6443
                    certificate-authority-data: %s
                %s
                users:
                - name: gw
                  user:
                %s
                contexts:
                - name: prod
                  context: {cluster: prod-cluster, user: gw}
                - name: other
                  context: {cluster: prod-cluster, user: gw}
                """.formatted(caData, clusterExtra, user));
        return file;
    }

    @Test
    void readsServerCaAndTokenFromTheCurrentContext() throws Exception {
        ClusterTarget t = ClusterTarget.fromKubeconfig("prod", kubeconfig("    token: abc", ""), null);
        assertThat(t.server().toString()).isEqualTo("https://10.0.0.1:6443");
        assertThat(t.caPem()).isEqualTo(CA);
        assertThat(t.token()).isEqualTo("abc");
        assertThat(t.tokenFile()).isNull();
    }

    @Test
    void resolvesATokenFileRelativeToTheKubeconfig() throws Exception {
        ClusterTarget t = ClusterTarget.fromKubeconfig("prod", kubeconfig("    tokenFile: sa-token", ""), "other");
        assertThat(t.tokenFile()).isEqualTo(dir.resolve("sa-token"));
    }

    @Test
    void refusesInsecureSkipTlsVerifyExecPluginsAndMissingContexts() throws Exception {
        assertThatThrownBy(() -> ClusterTarget.fromKubeconfig("prod",
                kubeconfig("    token: abc", "    insecure-skip-tls-verify: true"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("insecure-skip-tls-verify");
        assertThatThrownBy(() -> ClusterTarget.fromKubeconfig("prod",
                kubeconfig("    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}", ""), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("exec");
        assertThatThrownBy(() -> ClusterTarget.fromKubeconfig("prod", kubeconfig("    token: abc", ""), "nope"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no entry \"nope\" in contexts");
    }
}
