package dev.gatehouse.mask;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.mask.detect.DetectionSettings;

/**
 * {@code masking}: what the gateway masks besides Secrets (always masked, not configurable): the field rules, and
 * where the built-in detectors search every JSON string value of a response.
 *
 * @param rules             the field rules ({@link #DEFAULT_RULES} when the config names none)
 * @param jsonDetectors     search JSON responses on {@code detectorResources} with the built-in detectors
 * @param detectorResources where ({@link #DEFAULT_DETECTOR_RESOURCES} when the config names none)
 * @param text              the detectors in pod logs and session recordings
 */
public record MaskingSettings(List<FieldRule> rules, boolean jsonDetectors, List<ResourcePattern> detectorResources,
                              DetectionSettings text) {
    private static final String POD_TEMPLATES = "pods, podtemplates, replicationcontrollers, apps/deployments,"
            + " apps/statefulsets, apps/daemonsets, apps/replicasets, batch/jobs, batch/cronjobs";

    /**
     * The shipped rules: environment variable values in pods and every pod template (Deployments, StatefulSets,
     * DaemonSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers, PodTemplates); ConfigMaps labelled
     * {@code gatehouse.dev/mask=true}; external-secrets' and sealed-secrets' resources that carry values.
     */
    public static final List<FieldRule> DEFAULT_RULES = List.of(
            FieldRule.of("pod-env", List.of(POD_TEMPLATES.split(", ")), Map.of(),
                    List.of("**.containers[*].env[*].value", "**.initContainers[*].env[*].value",
                            "**.ephemeralContainers[*].env[*].value")),
            FieldRule.of("labelled-configmaps", List.of("configmaps"), Map.of("gatehouse.dev/mask", "true"),
                    List.of("data.*", "binaryData.*")),
            FieldRule.of("sealed-secrets", List.of("bitnami.com/sealedsecrets"), Map.of(),
                    List.of("spec.encryptedData.*", "spec.template.data.*")),
            FieldRule.of("external-secrets", List.of("external-secrets.io/externalsecrets",
                            "external-secrets.io/clusterexternalsecrets"), Map.of(),
                    List.of("spec.target.template.data.*", "spec.externalSecretSpec.target.template.data.*")),
            FieldRule.of("external-secrets-stores", List.of("external-secrets.io/secretstores",
                            "external-secrets.io/clustersecretstores"), Map.of(),
                    List.of("spec.provider.fake.data[*].value", "spec.provider.fake.data[*].valueMap")));

    /** Where the detectors search JSON by default: configuration, workloads, events and every custom resource. */
    public static final List<ResourcePattern> DEFAULT_DETECTOR_RESOURCES = List.of("configmaps", "pods",
            "podtemplates", "replicationcontrollers", "events", "events.k8s.io/events", "apps/*", "batch/*",
            "custom/*").stream().map(ResourcePattern::parse).toList();

    private static final int MAX_CACHED_PLANS = 1024;

    public MaskingSettings {
        rules = List.copyOf(rules == null ? DEFAULT_RULES : rules);
        detectorResources = List.copyOf(detectorResources == null ? DEFAULT_DETECTOR_RESOURCES : detectorResources);
        text = text == null ? DetectionSettings.defaults() : text;
        Set<String> names = new HashSet<>();
        for (FieldRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("masking.rules: \"" + rule.name() + "\" is named twice (expected:"
                        + " unique names)");
            }
        }
        new MaskPlan(true, rules); // refuses what cannot be compiled (more than 64 selector labels)
    }

    /** The defaults: shipped rules, detectors on their default resources, pod logs and recordings. */
    public static MaskingSettings defaults() {
        return new MaskingSettings(null, true, null, null);
    }

    /** Secrets only, no JSON detectors (the gateway before field rules). */
    public static MaskingSettings secretsOnly(DetectionSettings text) {
        return new MaskingSettings(List.of(), false, List.of(), text);
    }

    /** Compiles the plans; one per settings, shared by every response. */
    Plans plans() {
        return new Plans(this);
    }

    /** The plan of each resource, compiled on first use. */
    static final class Plans {
        private final MaskingSettings settings;
        private final Map<String, MaskPlan> cache = new ConcurrentHashMap<>();
        /** Per resource (prefix, group, resource, subresource): its plan (null: none) and whether detectors run. */
        private final Map<String, Object[]> byResource = new ConcurrentHashMap<>();

        private Plans(MaskingSettings settings) {
            this.settings = settings;
        }

        MaskingSettings settings() {
            return settings;
        }

        /** The plan for responses to this request; null when neither Secrets' shape nor any rule applies. */
        MaskPlan planFor(RequestInfo info) {
            return (MaskPlan) lookUp(info)[0];
        }

        /** True when the detectors search the JSON responses to this request. */
        boolean detects(RequestInfo info) {
            return (Boolean) lookUp(info)[1];
        }

        private Object[] lookUp(RequestInfo info) {
            if (info == null || !info.resourceRequest()) {
                return new Object[] {compile(info), detectsUncached(info)};
            }
            String key = info.apiPrefix() + "/" + info.apiGroup() + "/" + info.resource() + "/" + info.subresource();
            Object[] found = byResource.get(key);
            if (found == null) {
                found = new Object[] {compile(info), detectsUncached(info)};
                if (byResource.size() < MAX_CACHED_PLANS) {
                    byResource.putIfAbsent(key, found);
                }
            }
            return found;
        }

        private MaskPlan compile(RequestInfo info) {
            boolean secrets = MaskRules.SECRETS.masks(info);
            List<FieldRule> matching = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < settings.rules.size(); i++) {
                FieldRule rule = settings.rules.get(i);
                if (rule.resources().stream().anyMatch(r -> r.covers(info))) {
                    matching.add(rule);
                    ids.add(i);
                }
            }
            if (!secrets && matching.isEmpty()) {
                return null;
            }
            if (matching.isEmpty()) {
                return MaskPlan.SECRETS;
            }
            String key = secrets + ":" + ids;
            MaskPlan plan = cache.get(key);
            if (plan == null) {
                plan = new MaskPlan(secrets, matching);
                if (cache.size() < MAX_CACHED_PLANS) {
                    cache.putIfAbsent(key, plan);
                }
            }
            return plan;
        }

        private boolean detectsUncached(RequestInfo info) {
            return settings.jsonDetectors && info != null
                    && settings.detectorResources.stream().anyMatch(r -> r.covers(info));
        }
    }
}
