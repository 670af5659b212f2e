package dev.gatehouse.sandbox.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;

class TableConverterTest {
    private static final ResourceCatalog CATALOG = ResourceCatalog.standard();
    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");

    private static ResourceType type(String group, String plural) {
        return CATALOG.find(group, "v1", plural).orElseThrow();
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes());
    }

    private static List<String> columnNames(ObjectNode table, int priority) {
        return java.util.stream.StreamSupport.stream(table.path("columnDefinitions").spliterator(), false)
                .filter(c -> c.path("priority").asInt() == priority).map(c -> c.path("name").asText()).toList();
    }

    @Test
    void printsPodsWithReadyStatusRestartsAndAgeAndWideColumns() {
        ObjectNode pod = object("{'metadata':{'name':'web-1','namespace':'dev','creationTimestamp':"
                + "'2025-03-07T09:30:00Z','resourceVersion':'7'},'spec':{'nodeName':'n1','containers':[{'name':'a'},"
                + "{'name':'b'}]},'status':{'phase':'Running','podIP':'10.0.0.5','containerStatuses':["
                + "{'name':'a','ready':true,'restartCount':2,'state':{'running':{}}},"
                + "{'name':'b','ready':false,'restartCount':1,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}");
        ObjectNode table = TableConverter.table(type("", "pods"), List.of(pod), TableConverter.Include.METADATA,
                "v1", "42", null, NOW);
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        assertThat(columnNames(table, 0)).containsExactly("Name", "Ready", "Status", "Restarts", "Age");
        assertThat(columnNames(table, 1)).containsExactly("IP", "Node", "Nominated Node", "Readiness Gates");
        JsonNode row = table.path("rows").get(0);
        assertThat(row.path("cells").toString())
                .isEqualTo("[\"web-1\",\"1/2\",\"CrashLoopBackOff\",\"3\",\"3d2h\",\"10.0.0.5\",\"n1\",\"<none>\","
                        + "\"<none>\"]");
        assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("dev");
        assertThat(row.path("object").has("spec")).isFalse();
    }

    @Test
    void marksTerminatingAndCompletedPods() {
        ObjectNode terminating = object("{'metadata':{'name':'p','deletionTimestamp':'2025-03-10T11:59:00Z'},"
                + "'spec':{'containers':[{'name':'a'}]},'status':{'phase':'Running'}}");
        ObjectNode done = object("{'metadata':{'name':'q'},'spec':{'containers':[{'name':'a'}]},'status':"
                + "{'phase':'Succeeded','containerStatuses':[{'name':'a','state':{'terminated':{'reason':"
                + "'Completed','exitCode':0}}}]}}");
        ObjectNode table = TableConverter.table(type("", "pods"), List.of(terminating, done),
                TableConverter.Include.NONE, "v1", "1", null, NOW);
        assertThat(table.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("Terminating");
        assertThat(table.path("rows").get(1).path("cells").get(2).asText()).isEqualTo("Completed");
        assertThat(table.path("rows").get(1).path("conditions").get(0).path("type").asText()).isEqualTo("Completed");
        assertThat(table.path("rows").get(0).has("object")).isFalse();
    }

    @Test
    void countsDataOfSecretsAndConfigMaps() {
        ObjectNode secret = object("{'metadata':{'name':'s','creationTimestamp':'2025-03-10T11:59:15Z'},"
                + "'type':'kubernetes.io/tls','data':{'tls.crt':'eA==','tls.key':'eQ=='}}");
        ObjectNode secretTable = TableConverter.table(type("", "secrets"), List.of(secret),
                TableConverter.Include.OBJECT, "v1", "1", null, NOW);
        assertThat(columnNames(secretTable, 0)).containsExactly("Name", "Type", "Data", "Age");
        assertThat(secretTable.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"s\",\"kubernetes.io/tls\",2,\"45s\"]");
        assertThat(secretTable.path("rows").get(0).path("object")).isEqualTo(secret);

        ObjectNode cm = object("{'metadata':{'name':'c','creationTimestamp':'2025-03-10T11:00:00Z'},"
                + "'data':{'a':'1'},'binaryData':{'b':'AA=='}}");
        ObjectNode cmTable = TableConverter.table(type("", "configmaps"), List.of(cm),
                TableConverter.Include.METADATA, "v1", "1", null, NOW);
        assertThat(columnNames(cmTable, 0)).containsExactly("Name", "Data", "Age");
        assertThat(cmTable.path("rows").get(0).path("cells").toString()).isEqualTo("[\"c\",2,\"60m\"]");
    }

    @Test
    void printsDeploymentsServicesAndUnknownKinds() {
        ObjectNode deployment = object("{'metadata':{'name':'web','creationTimestamp':'2025-03-10T11:50:00Z'},"
                + "'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}},'template':{'spec':{'containers':"
                + "[{'name':'web','image':'nginx:1.27'}]}}},'status':{'readyReplicas':2,'updatedReplicas':3,"
                + "'availableReplicas':2}}");
        ObjectNode table = TableConverter.table(CATALOG.find("apps", "v1", "deployments").orElseThrow(),
                List.of(deployment), TableConverter.Include.METADATA, "v1", "1", null, NOW);
        assertThat(columnNames(table, 0)).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age");
        assertThat(table.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"web\",\"2/3\",3,2,\"10m\",\"web\",\"nginx:1.27\",\"app=web\"]");

        ObjectNode svc = object("{'metadata':{'name':'api'},'spec':{'type':'ClusterIP','clusterIP':'10.96.0.9',"
                + "'ports':[{'port':80,'protocol':'TCP'},{'port':443,'protocol':'TCP'}],'selector':{'app':'api'}}}");
        ObjectNode svcTable = TableConverter.table(type("", "services"), List.of(svc), TableConverter.Include.NONE,
                "v1beta1", "1", "token", NOW);
        assertThat(svcTable.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(svcTable.path("metadata").path("continue").asText()).isEqualTo("token");
        assertThat(svcTable.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"api\",\"ClusterIP\",\"10.96.0.9\",\"<none>\",\"80/TCP,443/TCP\",\"<unknown>\","
                        + "\"app=api\"]");

        ObjectNode table2 = TableConverter.table(CATALOG.find("apps", "v1", "daemonsets").orElseThrow(),
                List.of(object("{'metadata':{'name':'d','creationTimestamp':'2025-03-10T11:59:59Z'}}")),
                TableConverter.Include.NONE, "v1", "1", null, NOW);
        assertThat(columnNames(table2, 0)).containsExactly("Name", "Age");
        assertThat(table2.path("rows").get(0).path("cells").toString()).isEqualTo("[\"d\",\"1s\"]");
    }
}
