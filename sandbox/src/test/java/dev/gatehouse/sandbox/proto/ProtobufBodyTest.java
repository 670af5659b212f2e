package dev.gatehouse.sandbox.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

class ProtobufBodyTest {
    /** {@code kubectl create secret generic s1 --from-literal=pw=s3cr3t}, as captured from kubectl 1.32. */
    private static final String SECRET = "6b3873000a0c0a027631120653656372657412240a120a02733112001a0022002a0032003800"
            + "4200120c0a02707712067333637233741a001a002200";
    /** {@code kubectl create configmap cm1 --from-literal=a=b}. */
    private static final String CONFIG_MAP = "6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a"
            + "0032003800420012060a01611201621a002200";
    /** {@code kubectl create namespace spike}. */
    private static final String NAMESPACE = "6b3873000a0f0a02763112094e616d657370616365121d0a150a057370696b6512001a0022"
            + "002a0032003800420012001a020a001a002200";
    /** {@code kubectl auth can-i get pods -n default}. */
    private static final String ACCESS_REVIEW = "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f763112175365"
            + "6c665375626a656374416363657373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661"
            + "756c7412036765741a0022002a04706f647332003a001a08080012001a0020001a002200";
    /** {@code kubectl create deployment d1 --image=nginx}. */
    private static final String DEPLOYMENT = "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412a7010a1d0a0264311200"
            + "1a0022002a003200380042005a090a036170701202643112780801120b0a090a03617070120264311a5f0a1b0a0012001a0022"
            + "002a003200380042005a090a0361707012026431124012220a056e67696e7812056e67696e782a0042006a0072008001008801"
            + "00900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c080010001800"
            + "2000280038001a002200";

    private static ObjectNode decode(String hex) {
        return ProtobufBody.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void decodesCapturedSecretWithDataAsBase64() {
        assertThat(decode(SECRET)).isEqualTo(Json.parseObject(("{\"apiVersion\":\"v1\",\"kind\":\"Secret\","
                + "\"metadata\":{\"name\":\"s1\"},\"data\":{\"pw\":\"czNjcjN0\"}}").getBytes()));
    }

    @Test
    void decodesCapturedConfigMapAndNamespace() {
        assertThat(decode(CONFIG_MAP).toString())
                .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\"},"
                        + "\"data\":{\"a\":\"b\"}}");
        assertThat(decode(NAMESPACE).toString())
                .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"spike\"}}");
    }

    @Test
    void decodesCapturedAccessReview() {
        assertThat(decode(ACCESS_REVIEW).toString()).isEqualTo("{\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"kind\":\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\","
                + "\"verb\":\"get\",\"resource\":\"pods\"}}}");
    }

    @Test
    void decodesCapturedDeploymentDroppingGoZeroValuesButKeepingReplicas() {
        ObjectNode deployment = decode(DEPLOYMENT);
        assertThat(deployment.path("spec").toString()).isEqualTo("{\"replicas\":1,\"selector\":{\"matchLabels\":"
                + "{\"app\":\"d1\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"d1\"}},\"spec\":"
                + "{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\"}]}}}");
        assertThat(deployment.path("metadata").toString()).isEqualTo("{\"name\":\"d1\",\"labels\":{\"app\":\"d1\"}}");
        assertThat(deployment.has("status")).isFalse();
    }

    @Test
    void convertsTimesIntOrStringsQuantitiesAndExplicitZeros() {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("d").setGeneration(0)
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_700_000_000L)))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxSurge(IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                        .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                        .setTemplate(V1.PodTemplateSpec.newBuilder().setSpec(V1.PodSpec.newBuilder()
                                .addContainers(V1.Container.newBuilder().setName("c").setStdin(false)
                                        .setResources(V1.ResourceRequirements.newBuilder().putLimits("memory",
                                                Resource.Quantity.newBuilder().setString("128Mi").build())))
                                .setAutomountServiceAccountToken(false))))
                .build();
        ObjectNode json = ProtobufBody.decode(envelope("apps/v1", "Deployment", deployment.toByteArray()));
        assertThat(json.path("metadata").toString())
                .isEqualTo("{\"name\":\"d\",\"creationTimestamp\":\"2023-11-14T22:13:20Z\"}");
        assertThat(json.path("spec").path("replicas").asInt(-1)).isZero();
        assertThat(json.path("spec").path("strategy").path("rollingUpdate").toString())
                .isEqualTo("{\"maxUnavailable\":1,\"maxSurge\":\"25%\"}");
        assertThat(json.path("spec").path("template").path("spec").toString())
                .isEqualTo("{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"memory\":\"128Mi\"}}}],"
                        + "\"automountServiceAccountToken\":false}");
    }

    @Test
    void keepsBinarySecretDataExact() {
        byte[] binary = {0, (byte) 0xff, 10, 13, 'x'};
        V1.Secret secret = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("bin"))
                .putData("blob", ByteString.copyFrom(binary)).putData("empty", ByteString.EMPTY)
                .setType("Opaque").build();
        ObjectNode json = ProtobufBody.decode(envelope("v1", "Secret", secret.toByteArray()));
        assertThat(json.path("data").path("blob").asText()).isEqualTo("AP8KDXg=");
        assertThat(json.path("data").path("empty").asText("absent")).isEmpty();
        assertThat(json.path("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void formatsGoDurations() {
        assertThat(ProtoJson.goDuration(0)).isEqualTo("0s");
        assertThat(ProtoJson.goDuration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(ProtoJson.goDuration(90_000_000_000L)).isEqualTo("1m30s");
        assertThat(ProtoJson.goDuration(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(ProtoJson.goDuration(250_000_000L)).isEqualTo("250ms");
    }

    @Test
    void rejectsBodiesWithoutTheEnvelopeOrOfUnknownKinds() {
        assertThatThrownBy(() -> ProtobufBody.decode(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(ApiException.class).hasMessageContaining("k8s\\0 envelope");
        assertThatThrownBy(() -> ProtobufBody.decode(envelope("example.com/v1", "Widget", new byte[0])))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(415));
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        byte[] unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(ByteString.copyFrom(raw)).build().toByteArray();
        byte[] out = new byte[unknown.length + 4];
        System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, out, 0, 4);
        System.arraycopy(unknown, 0, out, 4, unknown.length);
        return out;
    }
}
