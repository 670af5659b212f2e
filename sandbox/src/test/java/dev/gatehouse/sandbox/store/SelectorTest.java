package dev.gatehouse.sandbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.resource.Json;

class SelectorTest {
    private static final ObjectNode POD = Json.parseObject(("{'metadata':{'name':'web-1','namespace':'dev',"
            + "'labels':{'app':'web','tier':'front'}},'status':{'phase':'Running'},"
            + "'involvedObject':{'uid':'u1'}}").replace('\'', '"').getBytes());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app=web|              | true",
            "app==web|             | true",
            "app!=web|             | false",
            "app=web,tier=back|    | false",
            "app in (web, api)|    | true",
            "app notin (web)|      | false",
            "tier|                 | true",
            "!tier|                | false",
            "!missing|             | true",
            "|metadata.name=web-1  | true",
            "|metadata.name!=web-1 | false",
            "|metadata.namespace=dev,status.phase=Running | true",
            "|involvedObject.uid=u2 | false",
            "app in (web),tier!=back|metadata.name=web-1 | true"})
    void matchesLabelAndFieldSelectors(String labels, String fields, boolean expected) {
        assertThat(Selector.of(labels, fields).test(POD)).isEqualTo(expected);
    }
}
