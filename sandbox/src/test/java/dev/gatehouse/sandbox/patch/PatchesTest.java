package dev.gatehouse.sandbox.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

class PatchesTest {
    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"').getBytes());
    }

    @Test
    void mergePatchReplacesListsAndDeletesNulls() {
        assertThat(MergePatch.apply(json("{'a':{'b':1,'c':2},'l':[1,2]}"), json("{'a':{'b':null,'d':3},'l':[3]}")))
                .isEqualTo(json("{'a':{'c':2,'d':3},'l':[3]}"));
    }

    @Test
    void jsonPatchAddsRemovesReplacesMovesCopiesAndTests() {
        JsonNode doc = json("{'data':{'a':'1'},'list':['x','y']}");
        JsonNode patch = json("[{'op':'add','path':'/data/b','value':'2'},{'op':'remove','path':'/data/a'},"
                + "{'op':'replace','path':'/list/0','value':'z'},{'op':'add','path':'/list/-','value':'w'},"
                + "{'op':'copy','from':'/data/b','path':'/data/c'},{'op':'move','from':'/data/c','path':'/moved'},"
                + "{'op':'test','path':'/moved','value':'2'},{'op':'add','path':'/data/a~1b','value':'s'}]");
        assertThat(JsonPatch.apply(doc, patch))
                .isEqualTo(json("{'data':{'b':'2','a/b':'s'},'list':['z','y','w'],'moved':'2'}"));
        assertThat(doc).isEqualTo(json("{'data':{'a':'1'},'list':['x','y']}"));
    }

    @Test
    void jsonPatchFailsOnMissingPathsAndFailedTests() {
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{'op':'remove','path':'/a'}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("/a does not exist");
        assertThatThrownBy(() -> JsonPatch.apply(json("{'a':1}"), json("[{'op':'test','path':'/a','value':2}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("test operation failed");
    }

    @Test
    void serverSideApplyCreatesMergesAndRecordsTheManager() {
        JsonNode applied = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},"
                + "'data':{'k':'v'}}");
        var created = ServerSideApply.apply(null, (com.fasterxml.jackson.databind.node.ObjectNode) applied,
                "kubectl", "2025-01-01T00:00:00Z");
        assertThat(created.path("data")).isEqualTo(json("{'k':'v'}"));
        assertThat(created.path("metadata").path("managedFields").get(0)).isEqualTo(json("{'manager':'kubectl',"
                + "'operation':'Apply','apiVersion':'v1','time':'2025-01-01T00:00:00Z','fieldsType':'FieldsV1',"
                + "'fieldsV1':{'f:metadata':{'f:labels':{'.':{},'f:a':{}}},'f:data':{'.':{},'f:k':{}}}}"));
        var existing = (com.fasterxml.jackson.databind.node.ObjectNode) json("{'apiVersion':'v1','kind':"
                + "'ConfigMap','metadata':{'name':'c','managedFields':[{'manager':'other','operation':'Update'}]},"
                + "'data':{'k':'old','keep':'me'}}");
        var merged = ServerSideApply.apply(existing, (com.fasterxml.jackson.databind.node.ObjectNode) applied,
                "kubectl", "2025-01-01T00:00:00Z");
        assertThat(merged.path("data")).isEqualTo(json("{'k':'v','keep':'me'}"));
        assertThat(merged.path("metadata").path("managedFields")).hasSize(2);
    }
}
