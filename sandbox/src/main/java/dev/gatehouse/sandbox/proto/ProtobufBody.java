package dev.gatehouse.sandbox.proto;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

/**
 * Decodes a Kubernetes protobuf body ({@code application/vnd.kubernetes.protobuf}), what kubectl's typed commands
 * ({@code create secret}, {@code create configmap}, {@code auth can-i}) send: the magic {@code k8s\0}, then a
 * {@code runtime.Unknown} whose type meta names the message and whose raw bytes hold it. The message is read with
 * the descriptors of {@code client-java-proto} and converted to the object's JSON form by {@link ProtoJson}.
 * Fields newer than those descriptors are dropped.
 */
public final class ProtobufBody {
    /** The media type. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final Map<String, Descriptor> DESCRIPTORS = new ConcurrentHashMap<>();

    private ProtobufBody() {
    }

    /** Whether a Content-Type header names the Kubernetes protobuf encoding. */
    public static boolean isProtobuf(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().equalsIgnoreCase(MEDIA_TYPE);
    }

    /** The JSON form of an enveloped protobuf object, with apiVersion and kind first. */
    public static ObjectNode decode(byte[] body) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw ApiException.badRequest("protobuf body does not start with the k8s\\0 envelope");
        }
        try {
            io.kubernetes.client.proto.Runtime.Unknown unknown = io.kubernetes.client.proto.Runtime.Unknown
                    .parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
            String apiVersion = unknown.getTypeMeta().getApiVersion();
            String kind = unknown.getTypeMeta().getKind();
            Descriptor descriptor = descriptor(apiVersion, kind);
            DynamicMessage message = DynamicMessage.parseFrom(descriptor, unknown.getRaw());
            ObjectNode json = Json.object();
            json.put("apiVersion", apiVersion).put("kind", kind);
            json.setAll(ProtoJson.toJson(message));
            return json;
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("cannot decode protobuf body: " + e.getMessage());
        }
    }

    /** The message descriptor for a kind, e.g. {@code apps/v1 Deployment} → {@code V1Apps.Deployment}. */
    static Descriptor descriptor(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        Descriptor cached = DESCRIPTORS.get(key);
        if (cached != null) {
            return cached;
        }
        String[] gv = apiVersion.contains("/") ? apiVersion.split("/", 2) : new String[] {"", apiVersion};
        String outer = capitalize(gv[1]) + capitalize(gv[0].split("\\.", 2)[0]);
        try {
            Class<?> type = Class.forName("io.kubernetes.client.proto." + outer);
            FileDescriptor file = (FileDescriptor) type.getMethod("getDescriptor").invoke(null);
            Descriptor descriptor = file.findMessageTypeByName(kind);
            if (descriptor == null) {
                throw unsupported(apiVersion, kind);
            }
            DESCRIPTORS.put(key, descriptor);
            return descriptor;
        } catch (ReflectiveOperationException e) {
            throw unsupported(apiVersion, kind);
        }
    }

    private static ApiException unsupported(String apiVersion, String kind) {
        return new ApiException(415, "UnsupportedMediaType", "the sandbox cannot decode protobuf bodies of "
                + apiVersion + " " + kind + "; send JSON", null, null, null);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
