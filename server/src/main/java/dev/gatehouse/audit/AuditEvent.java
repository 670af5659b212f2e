package dev.gatehouse.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.gatehouse.identity.Identity;

/**
 * One piece of evidence, shaped as a Kubernetes {@code audit.k8s.io/v1} Event so that tools built for the
 * apiserver's audit log read it unchanged, plus a {@code gatehouse} section. Every kind of evidence uses this
 * shape: API requests ({@code type=request}), and later review decisions, session recordings and the log's own
 * system events, each an event about a resource (for example {@code objectRef.resource=reviews}).
 * Timestamps are RFC 3339 strings with microseconds, as the apiserver writes them. A write's body, masked, is the
 * {@code requestObject} (level {@code Request}, as the apiserver's); see {@code mask.RequestBodies}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user",
        "impersonatedUser", "sourceIPs", "userAgent", "objectRef", "responseStatus", "requestObject",
        "requestReceivedTimestamp",
        "stageTimestamp", "annotations", "gatehouse"})
public record AuditEvent(
        @JsonProperty("kind") String kind,
        @JsonProperty("apiVersion") String apiVersion,
        @JsonProperty("level") String level,
        @JsonProperty("auditID") String auditID,
        @JsonProperty("stage") String stage,
        @JsonProperty("requestURI") String requestURI,
        @JsonProperty("verb") String verb,
        @JsonProperty("user") UserInfo user,
        @JsonProperty("impersonatedUser") UserInfo impersonatedUser,
        @JsonProperty("sourceIPs") List<String> sourceIPs,
        @JsonProperty("userAgent") String userAgent,
        @JsonProperty("objectRef") ObjectRef objectRef,
        @JsonProperty("responseStatus") ResponseStatus responseStatus,
        @JsonProperty("requestObject") JsonNode requestObject,
        @JsonProperty("requestReceivedTimestamp") String requestReceivedTimestamp,
        @JsonProperty("stageTimestamp") String stageTimestamp,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("gatehouse") Gatehouse gatehouse) {

    /** An event without a request object (level {@code Metadata}). */
    public AuditEvent(String kind, String apiVersion, String level, String auditID, String stage, String requestURI,
                      String verb, UserInfo user, UserInfo impersonatedUser, List<String> sourceIPs, String userAgent,
                      ObjectRef objectRef, ResponseStatus responseStatus, String requestReceivedTimestamp,
                      String stageTimestamp, Map<String, String> annotations, Gatehouse gatehouse) {
        this(kind, apiVersion, level, auditID, stage, requestURI, verb, user, impersonatedUser, sourceIPs, userAgent,
                objectRef, responseStatus, null, requestReceivedTimestamp, stageTimestamp, annotations, gatehouse);
    }

    public static final String STAGE_REQUEST_RECEIVED = "RequestReceived";
    public static final String STAGE_RESPONSE_STARTED = "ResponseStarted";
    public static final String STAGE_RESPONSE_COMPLETE = "ResponseComplete";

    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** Formats a timestamp as the apiserver does. */
    public static String timestamp(Instant instant) {
        return RFC3339_MICRO.format(instant);
    }

    /** The user as Kubernetes' {@code authentication.k8s.io/v1 UserInfo}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
        /** Who an unauthenticated request was made by, as the apiserver names it. */
        public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", null,
                List.of("system:unauthenticated"), null);

        /** The authenticated {@code identity}, or {@link #ANONYMOUS} when it is null. */
        public static UserInfo of(Identity identity) {
            return identity == null ? ANONYMOUS
                    : new UserInfo(identity.user(), identity.uid(), identity.groups(), null);
        }
    }

    /** The object a request is about. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ObjectRef(String resource, String namespace, String name, String apiGroup, String apiVersion,
                            String subresource) {
    }

    /** The response's status code, with the Status reason and message for failures. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResponseStatus(Map<String, Object> metadata, String status, String message, String reason,
                                 int code) {
    }

    /**
     * Gatehouse's own fields.
     *
     * @param type           request, review, session or system
     * @param seq            the event's position in the log, assigned by the log when it is appended
     * @param cluster        the gateway's name of the target cluster, when known
     * @param decision       allow, deny, review, or refused (ended by the gateway before policy: 400/401/404/503)
     * @param reason         why, in a sentence (the Status message for refusals)
     * @param durationMicros from request received to this stage
     * @param bytesIn        request body bytes read from the client
     * @param bytesOut       response body bytes sent to the client
     * @param authn          how the user was authenticated
     * @param upstream       how the identity was carried to the cluster (e.g. impersonate)
     * @param details        type-specific fields (review id, recording hash, ...), flat string values
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gatehouse(String type, Long seq, String cluster, String decision, String reason,
                            Long durationMicros, Long bytesIn, Long bytesOut, Authn authn, String upstream,
                            Map<String, String> details) {
        public Gatehouse withSeq(long position) {
            return new Gatehouse(type, position, cluster, decision, reason, durationMicros, bytesIn, bytesOut, authn,
                    upstream, details);
        }
    }

    /** How the identity was verified: never the credential, only its id or fingerprint. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Authn(String method, String issuer, String credentialId, boolean breakGlass,
                        List<String> actorChain, Map<String, String> attributes) {
        /**
         * How {@code identity} was verified; when it is null (authentication failed), only the refused
         * credential's fingerprint or jti, or null when there was none.
         */
        public static Authn of(Identity identity, String refusedCredential) {
            if (identity == null) {
                return refusedCredential == null || refusedCredential.isEmpty() ? null
                        : new Authn(null, null, refusedCredential, false, List.of(), Map.of());
            }
            return new Authn(identity.method().wireName(), identity.issuer(), identity.credentialId(),
                    identity.method().breakGlass(), identity.actorChain().stream().map(Identity.Actor::subject)
                    .toList(), identity.attributes());
        }
    }

    /** A copy with the log position set (the log calls this when appending). */
    public AuditEvent withSeq(long position) {
        return new AuditEvent(kind, apiVersion, level, auditID, stage, requestURI, verb, user, impersonatedUser,
                sourceIPs, userAgent, objectRef, responseStatus, requestObject, requestReceivedTimestamp,
                stageTimestamp, annotations, gatehouse == null ? null : gatehouse.withSeq(position));
    }

    /** A new event: kind {@code Event}, {@code audit.k8s.io/v1}, level {@code Metadata}, stage ResponseComplete. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AuditEvent} by name, so no caller counts constructor arguments. */
    public static final class Builder {
        private String auditID;
        private String stage = STAGE_RESPONSE_COMPLETE;
        private String requestURI;
        private String verb;
        private UserInfo user;
        private List<String> sourceIPs;
        private String userAgent;
        private ObjectRef objectRef;
        private ResponseStatus responseStatus;
        private JsonNode requestObject;
        private String requestReceivedTimestamp;
        private String stageTimestamp;
        private Gatehouse gatehouse;

        private Builder() {
        }

        public Builder auditID(String auditID) {
            this.auditID = auditID;
            return this;
        }

        public Builder stage(String stage) {
            this.stage = stage;
            return this;
        }

        public Builder requestURI(String requestURI) {
            this.requestURI = requestURI;
            return this;
        }

        public Builder verb(String verb) {
            this.verb = verb;
            return this;
        }

        public Builder user(UserInfo user) {
            this.user = user;
            return this;
        }

        public Builder sourceIPs(List<String> sourceIPs) {
            this.sourceIPs = sourceIPs;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder objectRef(ObjectRef objectRef) {
            this.objectRef = objectRef;
            return this;
        }

        public Builder responseStatus(ResponseStatus responseStatus) {
            this.responseStatus = responseStatus;
            return this;
        }

        /** The write's body as recorded (masked, or a marker); null for none. Sets level {@code Request}. */
        public Builder requestObject(JsonNode requestObject) {
            this.requestObject = requestObject;
            return this;
        }

        /** When the request arrived; also this stage's time unless {@link #stageAt} says otherwise. */
        public Builder receivedAt(Instant received) {
            this.requestReceivedTimestamp = timestamp(received);
            return this;
        }

        public Builder stageAt(Instant stageTime) {
            this.stageTimestamp = timestamp(stageTime);
            return this;
        }

        public Builder gatehouse(Gatehouse gatehouse) {
            this.gatehouse = gatehouse;
            return this;
        }

        public AuditEvent build() {
            String stageTime = stageTimestamp != null ? stageTimestamp : timestamp(Instant.now());
            return new AuditEvent("Event", "audit.k8s.io/v1", requestObject == null ? "Metadata" : "Request", auditID,
                    stage, requestURI, verb, user, null, sourceIPs, userAgent, objectRef, responseStatus, requestObject,
                    requestReceivedTimestamp != null ? requestReceivedTimestamp : stageTime, stageTime, null, gatehouse);
        }
    }
}
