package dev.gatehouse.mask;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.chain.BodyReader;
import dev.gatehouse.chain.Exchange;
import dev.gatehouse.chain.Stage;
import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.policy.DecideStage;
import dev.gatehouse.status.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Masked values never go back as values: a write (create, update, patch — JSON, YAML or protobuf) of a Secret, or of a
 * resource whose responses the field rules or the detectors mask, whose body carries a mask marker, plain or
 * base64-encoded as in {@code data}, is refused with 400 before it reaches the cluster. Without this,
 * {@code kubectl get secret -o yaml > s.yaml && kubectl replace -f s.yaml} (or the same with a Deployment whose env
 * values are masked) through the gateway would overwrite every value with its marker. Only those writes are read
 * (bounded, then forwarded as read); everything else streams untouched.
 */
public final class MarkerGuard implements Stage {
    private static final byte[] PLAIN = Fingerprints.PREFIX.getBytes(StandardCharsets.US_ASCII);
    /** The base64 of a marker as {@code data} carries it: the encoding starts at the marker's first byte. */
    private static final byte[] ENCODED = Base64.getEncoder().encodeToString(PLAIN).substring(0,
            PLAIN.length / 3 * 4).getBytes(StandardCharsets.US_ASCII);

    /** The field rules and detectors whose markers may come back (null: Secrets only). */
    private final MaskingSettings.Plans plans;

    /** Guards Secret writes only. */
    public MarkerGuard() {
        this.plans = null;
    }

    /** Guards Secret writes and writes of every resource whose responses {@code settings} mask. */
    public MarkerGuard(MaskingSettings settings) {
        this.plans = settings.plans();
    }

    @Override
    public Future<Void> apply(Exchange exchange) {
        if (exchange.upgrade() != null || !guarded(exchange.info())) {
            return Future.succeededFuture();
        }
        return BodyReader.readOnce(exchange, DecideStage.MAX_OBJECT_BYTES).compose(body -> {
            if (contains(body, PLAIN) || contains(body, ENCODED)) {
                return Future.failedFuture(GatewayException.badRequest("the " + exchange.info().verb()
                        + " of " + singular(exchange.info().resource()) + " \"" + exchange.info().name()
                        + "\" carries values masked by Gatehouse "
                        + "(gatehouse:masked:…); they are fingerprints, not the values, and are never written back. "
                        + "Send the real values, or leave the masked keys out of the change"));
            }
            return Future.succeededFuture();
        });
    }

    private boolean guarded(RequestInfo info) {
        if (secretWrite(info)) {
            return true;
        }
        return plans != null && write(info) && OBJECT_BODIES.contains(info.subresource())
                && (plans.planFor(info) != null || plans.detects(info));
    }

    /** The subresources whose bodies carry the object's fields (exec, attach, eviction … carry none of them). */
    private static final java.util.Set<String> OBJECT_BODIES = java.util.Set.of("", "status", "ephemeralcontainers");

    private static String singular(String resource) {
        return resource.equals("secrets") ? "secret" : resource;
    }

    private static boolean write(RequestInfo info) {
        return info != null && info.resourceRequest() && switch (info.verb()) {
            case "create", "update", "patch" -> true;
            default -> false;
        };
    }

    static boolean secretWrite(RequestInfo info) {
        return info != null && info.resourceRequest() && info.apiGroup().isEmpty() && info.resource().equals("secrets")
                && switch (info.verb()) {
                    case "create", "update", "patch" -> true;
                    default -> false;
                };
    }

    static boolean contains(Buffer body, byte[] needle) {
        int last = body.length() - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (body.getByte(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (body.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
