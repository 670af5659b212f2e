package dev.gatehouse.mask;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;

import io.kubernetes.client.proto.Runtime;

/**
 * Reads a Kubernetes protobuf body ({@value #MEDIA_TYPE}: the magic {@code k8s\0}, then a {@code runtime.Unknown}
 * naming the kind and holding the message) as a JSON tree to be masked, with the message descriptors of
 * {@code io.kubernetes:client-java-proto}. Fields are named by their JSON names, {@code bytes} (a Secret's
 * {@code data}) become base64 as in JSON, maps objects. Embedded objects ({@code runtime.RawExtension}: the items of
 * a {@code List}) are read the same way when they are protobuf or JSON; anything else in them, and fields the
 * descriptors do not know (a newer apiserver's), are not recorded — only how many bytes they held. Throws
 * {@link RequestBodies.Unreadable} for a body it cannot read.
 */
final class ProtobufBodies {
    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    /** The field counting the bytes of unknown or unreadable content that were left out of the record. */
    static final String LEFT_OUT = "gatehouse:leftOutBytes";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final int MAX_DEPTH = 8;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Descriptor> DESCRIPTORS = new ConcurrentHashMap<>();

    private ProtobufBodies() {
    }

    static JsonNode toJson(byte[] body) throws RequestBodies.Unreadable {
        return envelope(body, 0);
    }

    private static ObjectNode envelope(byte[] body, int depth) throws RequestBodies.Unreadable {
        if (depth > MAX_DEPTH) {
            throw new RequestBodies.Unreadable("protobuf objects nested deeper than " + MAX_DEPTH);
        }
        if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new RequestBodies.Unreadable("protobuf body without the k8s\\0 envelope");
        }
        try {
            Runtime.Unknown unknown = Runtime.Unknown.parseFrom(
                    CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length));
            String apiVersion = unknown.getTypeMeta().getApiVersion();
            String kind = unknown.getTypeMeta().getKind();
            Descriptor descriptor = descriptor(apiVersion, kind);
            DynamicMessage message = DynamicMessage.parseFrom(descriptor, unknown.getRaw());
            ObjectNode json = NODES.objectNode();
            json.put("apiVersion", apiVersion);
            json.put("kind", kind);
            json.setAll(object(message, depth));
            return json;
        } catch (java.io.IOException e) {
            throw new RequestBodies.Unreadable("invalid protobuf");
        }
    }

    /** The message descriptor for a kind, e.g. {@code v1 Secret} → {@code V1.Secret}, {@code apps/v1 Deployment}. */
    private static Descriptor descriptor(String apiVersion, String kind) throws RequestBodies.Unreadable {
        String key = apiVersion + "/" + kind;
        Descriptor cached = DESCRIPTORS.get(key);
        if (cached != null) {
            return cached;
        }
        if (!apiVersion.matches("([a-z0-9.-]+/)?v[0-9a-z]+") || !kind.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw new RequestBodies.Unreadable("protobuf of an unknown kind");
        }
        String[] gv = apiVersion.contains("/") ? apiVersion.split("/", 2) : new String[] {"", apiVersion};
        String outer = capitalize(gv[1]) + capitalize(gv[0].split("\\.", 2)[0]);
        try {
            Class<?> type = Class.forName("io.kubernetes.client.proto." + outer, true,
                    ProtobufBodies.class.getClassLoader());
            FileDescriptor file = (FileDescriptor) type.getMethod("getDescriptor").invoke(null);
            Descriptor descriptor = file.findMessageTypeByName(kind);
            if (descriptor == null) {
                throw new RequestBodies.Unreadable("protobuf of an unknown kind");
            }
            DESCRIPTORS.put(key, descriptor);
            return descriptor;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            throw new RequestBodies.Unreadable("protobuf of an unknown kind");
        }
    }

    private static ObjectNode object(Message message, int depth) throws RequestBodies.Unreadable {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            JsonNode value;
            if (field.isMapField()) {
                value = map((List<?>) e.getValue(), depth);
            } else if (field.isRepeated()) {
                ArrayNode list = NODES.arrayNode();
                for (Object item : (List<?>) e.getValue()) {
                    list.add(value(field, item, depth));
                }
                value = list;
            } else {
                value = value(field, e.getValue(), depth);
            }
            out.set(field.getJsonName(), value);
        }
        int unknown = message.getUnknownFields().getSerializedSize();
        if (unknown > 0) {
            out.put(LEFT_OUT, unknown);
        }
        return out;
    }

    private static ObjectNode map(List<?> entries, int depth) throws RequestBodies.Unreadable {
        ObjectNode out = NODES.objectNode();
        for (Object o : entries) {
            Message entry = (Message) o;
            FieldDescriptor keyField = entry.getDescriptorForType().findFieldByNumber(1);
            FieldDescriptor valueField = entry.getDescriptorForType().findFieldByNumber(2);
            out.set(String.valueOf(entry.getField(keyField)), value(valueField, entry.getField(valueField), depth));
        }
        return out;
    }

    private static JsonNode value(FieldDescriptor field, Object value, int depth) throws RequestBodies.Unreadable {
        return switch (field.getJavaType()) {
            case MESSAGE -> message((Message) value, depth);
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

    private static JsonNode message(Message m, int depth) throws RequestBodies.Unreadable {
        if (m.getDescriptorForType().getFullName().equals("k8s.io.apimachinery.pkg.runtime.RawExtension")) {
            return raw(((ByteString) m.getField(m.getDescriptorForType().findFieldByName("raw"))).toByteArray(),
                    depth);
        }
        return object(m, depth);
    }

    /** An embedded object: read when it is protobuf or JSON, otherwise only its size. */
    private static JsonNode raw(byte[] bytes, int depth) throws RequestBodies.Unreadable {
        if (bytes.length == 0) {
            return NODES.nullNode();
        }
        if (bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return envelope(bytes, depth + 1);
        }
        try {
            return RequestBodies.JSON.readTree(bytes);
        } catch (java.io.IOException notJson) {
            return NODES.objectNode().put(LEFT_OUT, bytes.length);
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
