package dev.gatehouse.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.classify.RequestInfo;

class GrantScopesTest {

    private static List<String> list(String spaced) {
        return spaced == null || spaced.isBlank() ? List.of() : Arrays.asList(spaced.trim().split(" +"));
    }

    private static RequestInfo request(String cluster, String verb, String namespace, String resource) {
        String[] parts = resource.split("/", 2);
        return new RequestInfo(cluster, "/api/v1/...", true, verb, "api", "", "v1", namespace, parts[0],
                parts.length > 1 ? parts[1] : "", "x");
    }

    @ParameterizedTest(name = "[{0}] ns=[{1}] verbs=[{2}] res=[{3}] covers {4} {5} -n {6} on {7}: {8}")
    @CsvSource(delimiter = '|', textBlock = """
            prod | web       | get         | pods      | get    | pods          | web   | prod  | true
            prod | web       | get         | pods      | get    | pods          | web   | stage | false
            prod | web       | get         | pods      | get    | pods          | api   | prod  | false
            prod | web       | get         | pods      | delete | pods          | web   | prod  | false
            prod | web       | get         | pods      | get    | pods/log      | web   | prod  | false
            prod | web       | create      | pods      | create | pods/exec     | web   | prod  | false
            prod | web       | create      | pods/exec | create | pods/exec     | web   | prod  | true
            prod | web       | create      | pods/*    | create | pods/exec     | web   | prod  | true
            prod | web       | create      | pods/*    | create | pods          | web   | prod  | false
            prod | web       | *           | *         | delete | secrets       | web   | prod  | true
            prod | web       | *           | *         | delete | pods/eviction | web   | prod  | true
            prod | web api   | get list    | pods      | list   | pods          | api   | prod  | true
            prod |           | delete      | nodes     | delete | nodes         |       | prod  | true
            prod |           | get         | pods      | get    | pods          | web   | prod  | false
            prod | web       | delete      | nodes     | delete | nodes         |       | prod  | false
            prod | *         | get         | pods      | get    | pods          | kube  | prod  | true
            prod | *         | delete      | nodes     | delete | nodes         |       | prod  | false
            prod | web       | get         | secrets   | get    | secretsx      | web   | prod  | false
            """)
    void coversOnlyWhatTheScopeNames(String cluster, String namespaces, String verbs, String resources, String verb,
                                     String resource, String namespace, String requestCluster, boolean covered) {
        Grant.Scope scope = new Grant.Scope(cluster, list(namespaces), list(verbs), list(resources));
        RequestInfo info = request(requestCluster, verb, namespace == null ? "" : namespace, resource);
        assertThat(GrantScopes.covers(scope, info)).isEqualTo(covered);
    }

    @ParameterizedTest(name = "non-resource {0} is never covered")
    @CsvSource({"/version", "/openapi/v3"})
    void neverCoversNonResourceRequests(String path) {
        Grant.Scope all = new Grant.Scope("prod", List.of("*"), List.of("*"), List.of("*"));
        assertThat(GrantScopes.covers(all, RequestInfo.nonResource("prod", path, "get"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no cluster        |       | web | get | pods | PT1H  | scope.cluster
            no verbs          | prod  | web |     | pods | PT1H  | scope.verbs
            no resources      | prod  | web | get |      | PT1H  | scope.resources
            zero duration     | prod  | web | get | pods | PT0S  | duration: PT0S
            negative duration | prod  | web | get | pods | -PT1H | duration
            too long          | prod  | web | get | pods | PT9H  | <= PT8H
            """)
    void refusesABadScope(String name, String cluster, String namespaces, String verbs, String resources,
                          String duration, String message) {
        Grant.Scope scope = new Grant.Scope(cluster == null ? "" : cluster, list(namespaces), list(verbs),
                list(resources));
        assertThatThrownBy(() -> GrantScopes.validate(scope, Duration.parse(duration), Duration.ofHours(8)))
                .isInstanceOfSatisfying(ReviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
