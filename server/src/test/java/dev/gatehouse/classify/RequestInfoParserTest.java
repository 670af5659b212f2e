package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.status.GatewayException;

class RequestInfoParserTest {
    private final RequestInfoParser parser = new RequestInfoParser();

    @ParameterizedTest(name = "{0} {1}?{2} -> {3} {5}/{6} ns={4} name={7} sub={8}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // method | path | query | verb | namespace | group | resource | name | subresource | version
            "GET    | /api/v1/namespaces/dev/pods               | -                     | list             | dev | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev/pods               | watch=true            | watch            | dev | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev/pods               | watch=1&resourceVersion=5 | watch        | dev | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev/pods               | watch=false           | list             | dev | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1         | -                     | get              | dev | -    | pods        | web-1 | -      | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1/log     | follow=true           | get              | dev | -    | pods        | web-1 | log    | v1",
            "POST   | /api/v1/namespaces/dev/pods/web-1/exec    | command=sh            | create           | dev | -    | pods        | web-1 | exec   | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1/exec    | command=sh            | create           | dev | -    | pods        | web-1 | exec   | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1/attach  | stdin=true            | create           | dev | -    | pods        | web-1 | attach | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1/portforward | ports=80          | create           | dev | -    | pods        | web-1 | portforward | v1",
            "GET    | /api/v1/namespaces/dev/pods/web-1/proxy   | -                     | get              | dev | -    | pods        | web-1 | proxy  | v1",
            "GET    | /api/v1/pods                              | limit=500             | list             | -   | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces                        | -                     | list             | -   | -    | namespaces  | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev                    | -                     | get              | dev | -    | namespaces  | dev   | -      | v1",
            "PUT    | /api/v1/namespaces/dev/finalize           | -                     | update           | dev | -    | namespaces  | dev   | finalize | v1",
            "PUT    | /api/v1/namespaces/dev/status             | -                     | update           | dev | -    | namespaces  | dev   | status | v1",
            "DELETE | /api/v1/namespaces/dev                    | -                     | delete           | dev | -    | namespaces  | dev   | -      | v1",
            "DELETE | /api/v1/namespaces/dev/configmaps         | -                     | deletecollection | dev | -    | configmaps  | -     | -      | v1",
            "POST   | /apis/apps/v1/namespaces/prod/deployments | -                     | create           | prod| apps | deployments | -     | -      | v1",
            "PATCH  | /apis/apps/v1/namespaces/prod/deployments/web | fieldManager=kubectl | patch          | prod| apps | deployments | web   | -      | v1",
            "PUT    | /apis/apps/v1/namespaces/prod/deployments/web/scale | -           | update           | prod| apps | deployments | web   | scale  | v1",
            "GET    | /apis/rbac.authorization.k8s.io/v1/clusterroles/system:controller:x | - | get        | -   | rbac.authorization.k8s.io | clusterroles | system:controller:x | - | v1",
            "GET    | /api/v1/watch/namespaces/dev/pods         | -                     | watch            | dev | -    | pods        | -     | -      | v1",
            "GET    | /api/v1/namespaces/dev/secrets            | fieldSelector=metadata.name%3Dtoken | list | dev | -   | secrets     | token | -      | v1",
            "GET    | /api/v1/namespaces/dev/secrets            | fieldSelector=metadata.name%3D%3Dtoken,type%3DOpaque | list | dev | - | secrets | token | - | v1",
            "HEAD   | /api/v1/namespaces/dev/pods/a             | -                     | get              | dev | -    | pods        | a     | -      | v1",
            "POST   | /apis/authorization.k8s.io/v1/selfsubjectaccessreviews | -        | create           | -   | authorization.k8s.io | selfsubjectaccessreviews | - | - | v1",
    })
    void classifiesLikeTheApiserver(String method, String path, String query, String verb, String namespace,
                                    String group, String resource, String name, String subresource, String version) {
        RequestInfo info = parser.parse("c1", method, path, Query.parse(query));
        assertThat(info.resourceRequest()).isTrue();
        assertThat(info.verb()).isEqualTo(verb);
        assertThat(info.namespace()).isEqualTo(namespace == null ? "" : namespace);
        assertThat(info.apiGroup()).isEqualTo(group == null ? "" : group);
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.name()).isEqualTo(name == null ? "" : name);
        assertThat(info.subresource()).isEqualTo(subresource == null ? "" : subresource);
        assertThat(info.apiVersion()).isEqualTo(version);
    }

    @ParameterizedTest
    @CsvSource({"GET,/version,get", "GET,/api,get", "GET,/apis,get", "GET,/api/v1,get", "GET,/apis/apps/v1,get",
            "GET,/openapi/v3,get", "GET,/,get", "POST,/healthz,post"})
    void classifiesNonResourceUrls(String method, String path, String verb) {
        RequestInfo info = parser.parse("c1", method, path, Query.parse(""));
        assertThat(info.resourceRequest()).isFalse();
        assertThat(info.verb()).isEqualTo(verb);
    }

    @ParameterizedTest
    @CsvSource({"watch=true&watch=false", "watch=yes", "fieldSelector=a%3Db&fieldSelector=c%3Dd"})
    void refusesAmbiguousQueries(String query) {
        assertThatThrownBy(() -> parser.parse("c1", "GET", "/api/v1/pods", Query.parse(query)))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    @ParameterizedTest
    @CsvSource({"TRACE", "CONNECT", "OPTIONS"})
    void refusesMethodsWithoutAVerb(String method) {
        assertThatThrownBy(() -> parser.parse("c1", method, "/api/v1/pods", Query.parse("")))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(405));
    }

    @org.junit.jupiter.api.Test
    void refusesSemicolonSeparatedQueries() {
        assertThatThrownBy(() -> Query.parse("watch=false;watch=true")).isInstanceOf(GatewayException.class);
    }

    @org.junit.jupiter.api.Test
    void mutatingAndLongRunningFollowTheVerb() {
        RequestInfo del = parser.parse("c1", "DELETE", "/api/v1/namespaces/a/pods/b", Query.parse(""));
        RequestInfo watch = parser.parse("c1", "GET", "/api/v1/pods", Query.parse("watch=true"));
        RequestInfo logs = parser.parse("c1", "GET", "/api/v1/namespaces/a/pods/b/log", Query.parse("follow=true"));
        assertThat(del.mutating()).isTrue();
        assertThat(watch.mutating()).isFalse();
        assertThat(watch.longRunning(false)).isTrue();
        assertThat(logs.longRunning(true)).isTrue();
        assertThat(logs.longRunning(false)).isFalse();
    }
}
