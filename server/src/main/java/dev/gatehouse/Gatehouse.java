package dev.gatehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.UnionAuthenticator;
import dev.gatehouse.authn.statictoken.StaticTokenAuthenticator;
import dev.gatehouse.chain.GatewayChain;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.forward.ClusterTarget;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.forward.IdentityCarrier;
import dev.gatehouse.forward.TokenFileCredential;
import dev.gatehouse.forward.Upstream;
import dev.gatehouse.forward.UpstreamCredential;
import dev.gatehouse.listen.GatewayServer;
import dev.gatehouse.record.Recorder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The gateway, wired by hand in one place: config → parts → chain → listeners.
 */
public final class Gatehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final Vertx vertx;
    private final AuditLog auditLog;
    private final Map<String, Upstream> upstreams;
    private final GatewayServer server;

    private Gatehouse(Vertx vertx, AuditLog auditLog, Map<String, Upstream> upstreams, GatewayServer server) {
        this.vertx = vertx;
        this.auditLog = auditLog;
        this.upstreams = upstreams;
        this.server = server;
    }

    /** Starts the gateway with its durable, hash-chained audit log in {@code <dataDir>/audit}. */
    public static Gatehouse start(GatehouseConfig config) {
        return start(config, c -> ChainedFileAuditLog.open(FileAuditLogConfig.of(auditDirectory(c))));
    }

    /** Where {@link #start(GatehouseConfig)} keeps the audit log. */
    public static java.nio.file.Path auditDirectory(GatehouseConfig config) {
        return config.dataDir().resolve("audit");
    }

    /**
     * Starts the gateway; blocks until it listens. {@code auditLogFactory} opens the audit log in the data
     * directory (the file log in production; tests may pass their own).
     */
    public static Gatehouse start(GatehouseConfig config, Function<GatehouseConfig, AuditLog> auditLogFactory) {
        LOG.info("starting with {}", config.describe());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(
                Math.max(2, Runtime.getRuntime().availableProcessors())));
        AuditLog auditLog = null;
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        try {
            auditLog = auditLogFactory.apply(config);
            for (GatehouseConfig.ClusterConfig cluster : config.clusters()) {
                upstreams.put(cluster.name(), upstream(vertx, cluster));
            }
            List<Authenticator> authenticators = new ArrayList<>();
            if (config.authentication().staticTokenFile() != null) {
                authenticators.add(StaticTokenAuthenticator.load(config.authentication().staticTokenFile()));
            }
            Recorder recorder = new Recorder(auditLog, "impersonate");
            Forwarder forwarder = new Forwarder(vertx, upstreams, recorder, config.maxStreamDuration(),
                    config.upstreamTimeout());
            GatewayChain chain = GatewayChain.build(new UnionAuthenticator(authenticators), upstreams.keySet(),
                    recorder, forwarder);
            GatewayServer server = GatewayServer.start(vertx, config.listen(), chain, auditLog);
            LOG.info("listening on https://{}:{} for clusters {}", config.listen().address(), server.port(),
                    upstreams.keySet());
            return new Gatehouse(vertx, auditLog, upstreams, server);
        } catch (RuntimeException e) {
            upstreams.values().forEach(Upstream::close);
            if (auditLog != null) {
                auditLog.close();
            }
            vertx.close();
            throw e;
        }
    }

    private static Upstream upstream(Vertx vertx, GatehouseConfig.ClusterConfig config) {
        ClusterTarget target = ClusterTarget.resolve(config);
        UpstreamCredential credential = target.tokenFile() != null ? new TokenFileCredential(vertx, target.tokenFile())
                : target.token() != null ? UpstreamCredential.token(target.token())
                : UpstreamCredential.clientCertificate();
        if (!"impersonate".equals(config.credentialMode())) {
            throw new dev.gatehouse.config.ConfigException("clusters[" + config.name() + "].credentialMode: \""
                    + config.credentialMode() + "\" is not available in this build (expected: impersonate)");
        }
        return Upstream.create(vertx, config.name(), target.server(), target.caPem(), target.clientCertPem(),
                target.clientKeyPem(), credential, IdentityCarrier::impersonate);
    }

    /** The port the gateway listens on (useful when the config asked for port 0). */
    public int port() {
        return server.port();
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** Stops listening, closes upstream clients, then flushes and closes the audit log. */
    @Override
    public void close() {
        server.close();
        upstreams.values().forEach(Upstream::close);
        auditLog.close();
        vertx.close().await();
    }
}
