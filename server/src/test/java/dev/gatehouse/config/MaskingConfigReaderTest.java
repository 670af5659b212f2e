package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gatehouse.mask.FieldRule;
import dev.gatehouse.mask.MaskingSettings;
import dev.gatehouse.mask.ResourcePattern;

class MaskingConfigReaderTest {
    @TempDir
    Path dir;

    private static final String VALID = """
            listen: {address: 127.0.0.1, port: 9443, certFile: tls/server.crt, keyFile: tls/server.key}
            authentication: {staticTokenFile: tokens.csv}
            clusters:
              - {name: prod, server: "https://10.0.0.1:6443", caFile: ca.crt, tokenFile: token}
            """;

    private GatehouseConfig load(String masking) throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, VALID + masking);
        return ConfigLoader.load(file);
    }

    @Test
    void usesTheShippedRulesAndDetectorsWithoutAMaskingSection() throws IOException {
        MaskingSettings masking = load("").masking();
        assertThat(masking.rules()).extracting(FieldRule::name).containsExactly("pod-env", "labelled-configmaps",
                "sealed-secrets", "external-secrets", "external-secrets-stores");
        assertThat(masking.jsonDetectors()).isTrue();
        assertThat(masking.detectorResources()).isEqualTo(MaskingSettings.DEFAULT_DETECTOR_RESOURCES);
    }

    @Test
    void addsConfiguredRulesToTheShippedOnesOrReplacesThem() throws IOException {
        MaskingSettings added = load("""
                masking:
                  rules:
                    - name: app-tokens
                      resources: [example.com/widgets, configmaps]
                      selector: {team: payments}
                      paths: ["spec.credentials[*].token", "metadata.annotations[\\"example.com/token\\"]"]
                  detectors: {json: false, resources: [configmaps], podLogs: false}
                """).masking();
        assertThat(added.rules()).hasSize(6);
        FieldRule rule = added.rules().get(5);
        assertThat(rule.resources()).containsExactly(new ResourcePattern("example.com", "widgets"),
                new ResourcePattern("", "configmaps"));
        assertThat(rule.selector()).containsEntry("team", "payments");
        assertThat(rule.paths().get(1).segments()).containsExactly("metadata", "annotations", "example.com/token");
        assertThat(added.jsonDetectors()).isFalse();
        assertThat(added.text().podLogs()).isFalse();
        assertThat(added.text().sessionRecordings()).isTrue();

        MaskingSettings only = load("""
                masking:
                  defaultRules: false
                  rules: [{name: only, resources: [pods], paths: [spec.x]}]
                """).masking();
        assertThat(only.rules()).extracting(FieldRule::name).containsExactly("only");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "masking: {colour: blue}|masking.colour: unknown setting",
            "masking: {rules: [{resources: [pods], paths: [a]}]}|masking.rules[0].name: required",
            "masking: {rules: [{name: x, paths: [a]}]}|masking.rules[0] (\"x\").resources: missing",
            "masking: {rules: [{name: x, resources: [pods]}]}|masking.rules[0] (\"x\").paths: missing",
            "masking: {rules: [{name: x, resources: [Pods], paths: [a]}]}|masking.rules[0] (\"x\").resources[0]: resource: \"Pods\"",
            "masking: {rules: [{name: x, resources: [a/b/c], paths: [a]}]}|masking.rules[0] (\"x\").resources[0]: \"a/b/c\"",
            "masking: {rules: [{name: x, resources: [pods], paths: [\"spec..env\"]}]}|masking.rules[0] (\"x\").paths[0]: \"spec..env\": an empty field name",
            "masking: {rules: [{name: x, resources: [pods], paths: [a], selector: {\"bad key!\": v}}]}|masking.rules[0] (\"x\").selector: \"bad key!\"",
            "masking: {rules: [{name: x, resources: [pods], paths: [a], colour: red}]}|masking.rules[0].colour: unknown setting",
            "masking: {rules: [{name: pod-env, resources: [pods], paths: [a]}]}|masking.rules: \"pod-env\" is named twice",
            "masking: {detectors: {json: maybe}}|masking.detectors.json: \"maybe\" (expected: true or false)",
            "masking: {detectors: {resources: [\"a/b/c\"]}}|masking.detectors.resources[0]: \"a/b/c\""})
    void refusesBadMaskingSettingsNamingTheEntry(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml + "\n")).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}
