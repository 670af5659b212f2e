package dev.gatehouse.sandbox.proto;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import dev.gatehouse.sandbox.resource.Json;

/**
 * Converts a Kubernetes protobuf message to the JSON the apiserver would store: field names as they are (the
 * generated protos use the JSON names), bytes as base64 (Secret data), {@code Time} as RFC 3339 and
 * {@code MicroTime} with microseconds, {@code Duration} as a Go duration, {@code IntOrString} as a number or string,
 * {@code Quantity} as its string, {@code RawExtension} and {@code FieldsV1} as embedded JSON, and single-list
 * wrappers ({@code ExtraValue}) as arrays.
 * <p>
 * Go writes every non-pointer field in protobuf, even when empty, where its JSON encoding leaves empty ones out
 * ({@code omitempty}). So empty strings, empty objects, zero times, {@code 0} and {@code false} are dropped here,
 * except in the fields that are pointers in the Go types, where an explicit zero means something
 * ({@code spec.replicas: 0}, {@code runAsUser: 0}, {@code automountServiceAccountToken: false}).
 */
public final class ProtoJson {
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final DateTimeFormatter MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final java.util.Set<String> POINTER_FIELDS = java.util.Set.of(
            "DeploymentSpec.replicas", "ReplicaSetSpec.replicas", "StatefulSetSpec.replicas",
            "ReplicationControllerSpec.replicas", "completions", "parallelism", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
            "terminationGracePeriodSeconds", "activeDeadlineSeconds", "ttlSecondsAfterFinished",
            "revisionHistoryLimit", "progressDeadlineSeconds", "startingDeadlineSeconds",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "suspend", "automountServiceAccountToken",
            "immutable", "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
            "privileged", "allowPrivilegeEscalation", "expirationSeconds", "defaultMode", "mode", "optional",
            "hostUsers", "shareProcessNamespace", "enableServiceLinks", "setHostnameAsFQDN", "priority",
            "deletionGracePeriodSeconds", "gracePeriodSeconds", "orphanDependents", "blockOwnerDeletion",
            "controller", "allocateLoadBalancerNodePorts", "publishNotReadyAddresses");

    private ProtoJson() {
    }

    /** The JSON object for a message (special types are only converted as fields, see {@link #value}). */
    public static ObjectNode toJson(Message message) {
        ObjectNode out = Json.object();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            JsonNode value = field.isMapField() ? map(e.getValue())
                    : field.isRepeated() ? list(field, (List<?>) e.getValue())
                    : value(field, e.getValue());
            boolean zero = value != null && !field.isRepeated()
                    && ((value.isNumber() && value.asDouble() == 0) || (value.isBoolean() && !value.asBoolean()));
            boolean pointer = POINTER_FIELDS.contains(field.getName())
                    || POINTER_FIELDS.contains(message.getDescriptorForType().getName() + "." + field.getName());
            if (!isEmpty(value) && (!zero || pointer)) {
                out.set(field.getJsonName(), value);
            }
        }
        return out;
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())
                || (value.isContainerNode() && value.isEmpty());
    }

    private static JsonNode map(Object entries) {
        ObjectNode out = Json.object();
        for (Object o : (List<?>) entries) {
            Message entry = (Message) o;
            FieldDescriptor keyField = entry.getDescriptorForType().findFieldByName("key");
            FieldDescriptor valueField = entry.getDescriptorForType().findFieldByName("value");
            JsonNode value = value(valueField, entry.getField(valueField));
            out.set(String.valueOf(entry.getField(keyField)), value == null ? NODES.textNode("") : value);
        }
        return out;
    }

    private static ArrayNode list(FieldDescriptor field, List<?> values) {
        ArrayNode out = NODES.arrayNode();
        for (Object v : values) {
            JsonNode value = value(field, v);
            out.add(value == null ? Json.object() : value);
        }
        return out;
    }

    /** One field value; {@code null} for a value JSON would leave out (a zero time). */
    static JsonNode value(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> message((Message) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case STRING -> NODES.textNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case ENUM -> NODES.textNode(value.toString());
        };
    }

    private static JsonNode message(Message m) {
        String type = m.getDescriptorForType().getFullName();
        switch (type) {
            case META + "Time" -> {
                long seconds = longField(m, "seconds");
                return seconds == 0 && longField(m, "nanos") == 0 ? null
                        : NODES.textNode(Instant.ofEpochSecond(seconds).toString());
            }
            case META + "MicroTime" -> {
                long seconds = longField(m, "seconds");
                long nanos = longField(m, "nanos");
                return seconds == 0 && nanos == 0 ? null
                        : NODES.textNode(MICRO.format(Instant.ofEpochSecond(seconds, nanos)));
            }
            case META + "Duration" -> {
                return NODES.textNode(goDuration(longField(m, "duration")));
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                return longField(m, "type") == 1 ? NODES.textNode(stringField(m, "strVal"))
                        : NODES.numberNode((int) longField(m, "intVal"));
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return NODES.textNode(stringField(m, "string"));
            }
            case "k8s.io.apimachinery.pkg.runtime.RawExtension", META + "FieldsV1" -> {
                return raw(m);
            }
            default -> {
                var fields = m.getDescriptorForType().getFields();
                if (fields.size() == 1 && fields.get(0).getName().equals("items") && fields.get(0).isRepeated()) {
                    return list(fields.get(0), (List<?>) m.getField(fields.get(0)));
                }
                return toJson(m);
            }
        }
    }

    private static JsonNode raw(Message m) {
        FieldDescriptor f = m.getDescriptorForType().getFields().get(0);
        byte[] bytes = ((ByteString) m.getField(f)).toByteArray();
        if (bytes.length == 0) {
            return null;
        }
        if (bytes[0] == '{' || bytes[0] == '[') {
            return Json.parse(bytes);
        }
        if (bytes.length > 4 && bytes[0] == 'k' && bytes[1] == '8' && bytes[2] == 's' && bytes[3] == 0) {
            return ProtobufBody.decode(bytes);
        }
        return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }

    private static long longField(Message m, String name) {
        Object v = m.getField(m.getDescriptorForType().findFieldByName(name));
        return ((Number) v).longValue();
    }

    private static String stringField(Message m, String name) {
        return (String) m.getField(m.getDescriptorForType().findFieldByName(name));
    }

    /** Go's {@code time.Duration.String()}: {@code 1h0m0s}, {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder(nanos < 0 ? "-" : "");
        long n = Math.abs(nanos);
        if (n < 1_000_000_000L) {
            if (n < 1_000) {
                return out.append(n).append("ns").toString();
            }
            if (n < 1_000_000) {
                return out.append(trim(n / 1_000.0)).append("µs").toString();
            }
            return out.append(trim(n / 1_000_000.0)).append("ms").toString();
        }
        long hours = n / 3_600_000_000_000L;
        long minutes = n / 60_000_000_000L % 60;
        double seconds = (n % 60_000_000_000L) / 1e9;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(trim(seconds)).append('s').toString();
    }

    private static String trim(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
