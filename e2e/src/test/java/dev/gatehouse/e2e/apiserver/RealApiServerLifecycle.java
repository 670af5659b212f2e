package dev.gatehouse.e2e.apiserver;

import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * The class-wide part of a test class against a {@link RealApiServer} (with a {@link GatewayInFront}, or none):
 * when the binaries are missing and GATEHOUSE_SKIP_APISERVER=1 (never under CI=true), each test is reported as
 * skipped with the reason (an abort in @BeforeAll shows as "0 tests run"); after the class, the gateway and then
 * the apiserver are stopped. Registered with {@code @RegisterExtension} on a static field.
 */
final class RealApiServerLifecycle implements BeforeEachCallback, AfterAllCallback {
    private final Supplier<GatewayInFront> gateway;
    private final Supplier<RealApiServer> apiServer;
    private String skipped;

    /** {@code gateway} and {@code apiServer} read the test class's fields (null: not started). */
    RealApiServerLifecycle(Supplier<GatewayInFront> gateway, Supplier<RealApiServer> apiServer) {
        this.gateway = gateway;
        this.apiServer = apiServer;
    }

    /** The apiserver {@code start} starts, or null when its binaries are missing: then every test is skipped. */
    RealApiServer start(Supplier<RealApiServer> start) {
        try {
            return start.get();
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
            return null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(skipped == null, () -> skipped);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            GatewayInFront started = gateway.get();
            if (started != null) {
                started.close();
            }
        } finally {
            RealApiServer server = apiServer.get();
            if (server != null) {
                server.close();
            }
        }
    }
}
