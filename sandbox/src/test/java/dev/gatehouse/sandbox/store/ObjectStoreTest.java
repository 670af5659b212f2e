package dev.gatehouse.sandbox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;
import dev.gatehouse.sandbox.resource.ResourceCatalog;
import dev.gatehouse.sandbox.resource.ResourceType;

class ObjectStoreTest {
    private static final ResourceCatalog CATALOG = ResourceCatalog.standard();
    private static final ResourceType NAMESPACES = CATALOG.find("", "v1", "namespaces").orElseThrow();
    private static final ResourceType CONFIG_MAPS = CATALOG.find("", "v1", "configmaps").orElseThrow();
    private static final ResourceType DEPLOYMENTS = CATALOG.find("apps", "v1", "deployments").orElseThrow();

    private ObjectStore store;

    @BeforeEach
    void setUp() {
        store = new ObjectStore(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), Admission.NONE);
        store.create(NAMESPACES, "", object("{'metadata':{'name':'ns'}}"));
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes());
    }

    private ObjectNode configMap(String name, String value) {
        return store.create(CONFIG_MAPS, "ns", object("{'metadata':{'name':'" + name + "','labels':{'v':'" + value
                + "'}},'data':{'k':'" + value + "'}}"));
    }

    @Test
    void assignsMetadataAndAdvancesTheResourceVersionOnEveryWrite() {
        ObjectNode created = configMap("a", "1");
        assertThat(created.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(created.path("metadata").path("namespace").asText()).isEqualTo("ns");
        assertThat(created.path("metadata").path("creationTimestamp").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(created.path("metadata").path("uid").asText()).hasSize(36);
        assertThat(created.path("metadata").has("generation")).isFalse();
        long rv = created.path("metadata").path("resourceVersion").asLong();
        created.with("data").put("k", "2");
        assertThat(store.update(CONFIG_MAPS, "ns", "a", created).path("metadata").path("resourceVersion").asLong())
                .isEqualTo(rv + 1);
        assertThat(store.delete(CONFIG_MAPS, "ns", "a").path("metadata").path("resourceVersion").asLong())
                .isEqualTo(rv + 2);
        assertThat(store.resourceVersion()).isEqualTo(rv + 2);
    }

    @Test
    void rejectsDuplicatesStaleUpdatesMissingNamespacesAndBadNames() {
        ObjectNode a = configMap("a", "1");
        assertThatThrownBy(() -> configMap("a", "2")).isInstanceOf(ApiException.class)
                .hasMessage("configmaps \"a\" already exists");
        ObjectNode changed = a.deepCopy();
        changed.with("data").put("k", "changed");
        store.update(CONFIG_MAPS, "ns", "a", changed);
        assertThatThrownBy(() -> store.update(CONFIG_MAPS, "ns", "a", a)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).reason()).isEqualTo("Conflict"));
        assertThatThrownBy(() -> store.create(CONFIG_MAPS, "nope", object("{'metadata':{'name':'x'}}")))
                .hasMessage("namespaces \"nope\" not found");
        assertThatThrownBy(() -> store.create(CONFIG_MAPS, "ns", object("{'metadata':{'name':'Bad_Name'}}")))
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(422));
    }

    @Test
    void advancesGenerationOnlyWhenTheSpecChanges() {
        ObjectNode d = store.create(DEPLOYMENTS, "ns", object("{'metadata':{'name':'d'},'spec':{'replicas':1}}"));
        assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);
        d.with("metadata").with("labels").put("x", "y");
        d = store.update(DEPLOYMENTS, "ns", "d", d);
        assertThat(d.path("metadata").path("generation").asLong()).isEqualTo(1);
        d.with("spec").put("replicas", 2);
        assertThat(store.update(DEPLOYMENTS, "ns", "d", d).path("metadata").path("generation").asLong())
                .isEqualTo(2);
    }

    @Test
    void watchReplaysChangesAfterAResourceVersionThenFollows() {
        long start = store.resourceVersion();
        configMap("a", "1");
        configMap("b", "2");
        List<WatchEvent> events = new ArrayList<>();
        ObjectStore.Subscription watch = store.watch(CONFIG_MAPS, "ns", Selector.of("v=2", null),
                Long.toString(start), events::add);
        store.delete(CONFIG_MAPS, "ns", "b");
        configMap("c", "1");
        watch.cancel();
        configMap("d", "2");
        assertThat(events).extracting(e -> e.type() + " " + e.object().path("metadata").path("name").asText())
                .containsExactly("ADDED b", "DELETED b");
    }

    @Test
    void watchWithoutAResourceVersionStartsWithTheCurrentObjects() {
        configMap("a", "1");
        List<WatchEvent> events = new ArrayList<>();
        store.watch(CONFIG_MAPS, null, Selector.everything(), null, events::add);
        assertThat(events).extracting(WatchEvent::type).containsExactly("ADDED");
    }

    @Test
    void deletingANamespaceOrAnOwnerDeletesWhatItHolds() {
        ObjectNode owner = configMap("owner", "1");
        store.create(CONFIG_MAPS, "ns", object("{'metadata':{'name':'owned','ownerReferences':[{'uid':'"
                + owner.path("metadata").path("uid").asText() + "'}]}}"));
        configMap("other", "1");
        store.delete(CONFIG_MAPS, "ns", "owner");
        assertThat(store.list(CONFIG_MAPS, "ns", Selector.everything()))
                .extracting(o -> o.path("metadata").path("name").asText()).containsExactly("other");
        store.delete(NAMESPACES, "", "ns");
        assertThat(store.list(CONFIG_MAPS, null, Selector.everything())).isEmpty();
    }

    @Test
    void modifyCreatesWhenAskedAndPatchesOtherwise() {
        ObjectStore.Written created = store.modify(CONFIG_MAPS, "ns", "m",
                existing -> object("{'data':{'a':'1'}}"), true);
        assertThat(created.created()).isTrue();
        ObjectStore.Written patched = store.modify(CONFIG_MAPS, "ns", "m", existing -> {
            existing.with("data").put("b", "2");
            return existing;
        }, false);
        assertThat(patched.created()).isFalse();
        assertThat(patched.object().path("data")).isEqualTo(object("{'a':'1','b':'2'}"));
        assertThatThrownBy(() -> store.modify(CONFIG_MAPS, "ns", "missing", e -> e, false))
                .hasMessage("configmaps \"missing\" not found");
    }
}
