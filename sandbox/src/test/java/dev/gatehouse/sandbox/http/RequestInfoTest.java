package dev.gatehouse.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestInfoTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "GET    | /api/v1/namespaces                      | -    | list   |      |         | namespaces  |        |",
            "GET    | /api/v1/namespaces/dev                  | -    | get    |      | dev     | namespaces  | dev    |",
            "PUT    | /api/v1/namespaces/dev/finalize         | -    | update |      | dev     | namespaces  | dev    | finalize",
            "GET    | /api/v1/namespaces/dev/pods             | true | watch  |      | dev     | pods        |        |",
            "GET    | /api/v1/namespaces/dev/pods             | 1    | watch  |      | dev     | pods        |        |",
            "GET    | /api/v1/namespaces/dev/pods             | yes  | watch  |      | dev     | pods        |        |",
            "GET    | /api/v1/namespaces/dev/pods             | FALSE| list   |      | dev     | pods        |        |",
            "GET    | /api/v1/namespaces/dev/pods             | 0    | list   |      | dev     | pods        |        |",
            "GET    | /api/v1/watch/namespaces/dev/pods       | -    | watch  |      | dev     | pods        |        |",
            "GET    | /api/v1/namespaces/dev/pods/p/log       | -    | get    |      | dev     | pods        | p      | log",
            "POST   | /apis/apps/v1/namespaces/dev/deployments| -    | create | apps | dev     | deployments |        |",
            "PATCH  | /apis/apps/v1/namespaces/dev/deployments/web/scale | - | patch | apps | dev | deployments | web | scale",
            "DELETE | /api/v1/namespaces/dev/secrets          | -    | deletecollection | | dev | secrets  |        |",
            "GET    | /api/v1/namespaces/default%2Fsecrets    | -    | list   |      | default | secrets     |        |",
            "GET    | /api/v1/pods                            | -    | list   |      |         | pods        |        |"})
    void readsPathsLikeTheApiserver(String method, String path, String watch, String verb, String group,
                                    String namespace, String resource, String name, String subresource) {
        RequestInfo info = RequestInfo.parse(method, path, watch);
        assertThat(info.resourceRequest()).isTrue();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.group()).isEqualTo(group == null ? "" : group);
        assertThat(info.namespace()).isEqualTo(namespace == null ? "" : namespace);
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.name()).isEqualTo(name == null ? "" : name);
        assertThat(info.subresource()).isEqualTo(subresource == null ? "" : subresource);
    }

    @ParameterizedTest
    @CsvSource({"/version", "/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/openapi/v3/apis/apps/v1"})
    void leavesDiscoveryPathsToTheNonResourceHandlers(String path) {
        assertThat(RequestInfo.parse("GET", path, null).resourceRequest()).isFalse();
    }
}
