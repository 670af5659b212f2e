package dev.gatehouse.policy;

import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

/**
 * What a decision is made over.
 *
 * @param identity who asks
 * @param request  what is asked (cluster, verb, group, resource, subresource, namespace, name)
 * @param object   for writes whose rules need it, the request's object as sent (JSON; protobuf bodies decoded
 *                 to JSON); null when the body was not read or is not JSON
 */
public record PolicyRequest(Identity identity, RequestInfo request, JsonNode object) {
    public PolicyRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(request, "request");
    }
}
