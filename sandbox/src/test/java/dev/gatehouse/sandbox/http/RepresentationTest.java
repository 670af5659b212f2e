package dev.gatehouse.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepresentationTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
                    + "application/json | TABLE | v1",
            "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json | TABLE | v1beta1",
            "application/json | OBJECT | v1",
            "application/vnd.kubernetes.protobuf,application/json | OBJECT | v1",
            "- | OBJECT | v1",
            "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json | PARTIAL_METADATA | v1",
            "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json | OBJECT | v1",
            "application/json;as=Table;v=v2;g=meta.k8s.io,application/json | OBJECT | v1"})
    void negotiatesTheFirstRepresentationItCanProduce(String accept, Representation.Form form, String version) {
        Representation representation = Representation.negotiate(accept);
        assertThat(representation.form()).isEqualTo(form);
        assertThat(representation.metaVersion()).isEqualTo(version);
    }
}
