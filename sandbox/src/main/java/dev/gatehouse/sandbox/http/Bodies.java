package dev.gatehouse.sandbox.http;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gatehouse.sandbox.proto.ProtobufBody;
import dev.gatehouse.sandbox.resource.ApiException;
import dev.gatehouse.sandbox.resource.Json;

/** Reads a create or update body in any of the encodings kubectl sends: JSON, YAML or Kubernetes protobuf. */
final class Bodies {
    private Bodies() {
    }

    static ObjectNode object(Exchange ex) {
        String contentType = ex.header("Content-Type");
        byte[] body = ex.body();
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        if (ProtobufBody.isProtobuf(contentType)) {
            return ProtobufBody.decode(body);
        }
        String bare = contentType == null ? "application/json"
                : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (bare) {
            case "application/json", "" -> Json.parseObject(body);
            case "application/yaml", "application/x-yaml", "text/yaml" -> Json.parseYamlObject(body);
            default -> throw ApiException.unsupportedMediaType(contentType);
        };
    }
}
