package dev.gatehouse.sandbox.patch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

class StrategicMergePatchTest {
    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes());
    }

    private static String apply(String original, String patch) {
        return StrategicMergePatch.apply(json(original), json(patch)).toString().replace('"', '\'');
    }

    @Test
    void mergesMapsAndDeletesNulls() {
        assertThat(apply("{'data':{'a':'1','b':'2'},'metadata':{'labels':{'x':'y'}}}",
                "{'data':{'b':null,'c':'3'},'metadata':{'labels':{'z':'w'}}}"))
                .isEqualTo("{'data':{'a':'1','c':'3'},'metadata':{'labels':{'x':'y','z':'w'}}}");
    }

    @Test
    void mergesContainersByNameAndKeepsOthers() {
        assertThat(apply("{'spec':{'containers':[{'name':'a','image':'a:1','ports':[{'containerPort':80}]},"
                        + "{'name':'b','image':'b:1'}]}}",
                "{'spec':{'containers':[{'name':'a','image':'a:2'},{'name':'c','image':'c:1'}]}}"))
                .isEqualTo("{'spec':{'containers':[{'name':'a','image':'a:2','ports':[{'containerPort':80}]},"
                        + "{'name':'b','image':'b:1'},{'name':'c','image':'c:1'}]}}");
    }

    @Test
    void mergesContainerPortsOnContainerPortAndServicePortsOnPort() {
        assertThat(apply("{'ports':[{'containerPort':80,'name':'http'}]}",
                "{'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443}]}"))
                .isEqualTo("{'ports':[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]}");
        assertThat(apply("{'ports':[{'port':80,'targetPort':8080}]}", "{'ports':[{'port':80,'targetPort':9090}]}"))
                .isEqualTo("{'ports':[{'port':80,'targetPort':9090}]}");
    }

    @Test
    void replacesListsWithoutAMergeStrategy() {
        assertThat(apply("{'args':['a','b'],'command':['x']}", "{'args':['c']}"))
                .isEqualTo("{'args':['c'],'command':['x']}");
    }

    @Test
    void understandsPatchDirectives() {
        assertThat(apply("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}"))
                .isEqualTo("{'spec':{'containers':[{'name':'b'}]}}");
        assertThat(apply("{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'$patch':'replace',"
                + "'c':'3'}}}")).isEqualTo("{'metadata':{'labels':{'c':'3'}}}");
        assertThat(apply("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}",
                "{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}"))
                .isEqualTo("{'strategy':{'type':'Recreate'}}");
        assertThat(apply("{'metadata':{'finalizers':['a','b']}}",
                "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a'],'finalizers':['c']}}"))
                .isEqualTo("{'metadata':{'finalizers':['b','c']}}");
        assertThat(apply("{'spec':{'containers':[{'name':'a'}]}}",
                "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'x'}]}}"))
                .isEqualTo("{'spec':{'containers':[{'name':'a','image':'x'}]}}");
    }
}
