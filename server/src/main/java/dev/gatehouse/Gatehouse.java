package dev.gatehouse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.export.setup.EventShapes;
import dev.gatehouse.api.AuditApi;
import dev.gatehouse.api.ReportApi;
import dev.gatehouse.report.FileReportSources;
import dev.gatehouse.report.ReportRunner;
import dev.gatehouse.report.Reports;
import dev.gatehouse.api.ReviewApi;
import dev.gatehouse.mask.MaskKeys;
import dev.gatehouse.mask.MaskingChoice;
import dev.gatehouse.mask.MarkerGuard;
import dev.gatehouse.mask.ProfileStage;
import dev.gatehouse.mask.RequestBodies;
import dev.gatehouse.policy.PolicyAudit;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.PolicySettings;
import dev.gatehouse.policy.ReloadingPolicyEngine;
import dev.gatehouse.policy.RulePolicy;
import dev.gatehouse.policy.ReviewRequirement;
import dev.gatehouse.review.HoldStage;
import dev.gatehouse.review.Requester;
import dev.gatehouse.review.ReviewListener;
import dev.gatehouse.review.ReviewListeners;
import dev.gatehouse.review.ReviewService;
import dev.gatehouse.review.ReviewSettings;
import dev.gatehouse.review.evidence.ReviewAuditEvents;
import dev.gatehouse.review.notify.NotifyingListener;
import dev.gatehouse.review.notify.ReviewNotice;
import dev.gatehouse.review.notify.WebhookFormat;
import dev.gatehouse.review.notify.WebhookHeader;
import dev.gatehouse.review.notify.WebhookNotifier;
import dev.gatehouse.review.notify.WebhookNotifierSettings;
import dev.gatehouse.review.notify.WebhookTarget;
import dev.gatehouse.replica.StoreChoice;
import dev.gatehouse.api.EvidenceFiles;
import dev.gatehouse.api.EvidenceReadAudit;
import dev.gatehouse.api.EvidenceReaders;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.file.ChainedFileAuditLog;
import dev.gatehouse.audit.retention.RetentionPolicy;
import dev.gatehouse.audit.runtime.AuditServices;
import dev.gatehouse.audit.file.FileAuditLogConfig;
import dev.gatehouse.authn.Authenticator;
import dev.gatehouse.authn.UnionAuthenticator;
import dev.gatehouse.authn.cache.CachingAuthenticator;
import dev.gatehouse.authn.cache.VerifiedTokenCache;
import dev.gatehouse.authn.delegation.DelegatedTokenAuthenticator;
import dev.gatehouse.authn.delegation.GatehouseIssuer;
import dev.gatehouse.authn.delegation.GatehouseSigningKeys;
import dev.gatehouse.authn.delegation.IssuerEndpoints;
import dev.gatehouse.authn.delegation.TokenExchange;
import dev.gatehouse.authn.delegation.TokenExchangeAudit;
import dev.gatehouse.authn.oidc.LoginMetadataEndpoint;
import dev.gatehouse.authn.oidc.OidcAuthenticator;
import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.authn.serviceaccount.ServiceAccountAuthenticator;
import dev.gatehouse.authn.serviceaccount.ServiceAccountConfig;
import dev.gatehouse.authn.statictoken.StaticTokenAuthenticator;
import dev.gatehouse.chain.GatewayChain;
import dev.gatehouse.classify.ClusterRoutes;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.export.EventShape;
import dev.gatehouse.export.setup.ExporterSinks;
import dev.gatehouse.export.LogExporter;
import dev.gatehouse.forward.ClusterTarget;
import dev.gatehouse.forward.Forwarder;
import dev.gatehouse.forward.IdentityCarrier;
import dev.gatehouse.forward.TokenFileCredential;
import dev.gatehouse.forward.Upstream;
import dev.gatehouse.forward.UpstreamTokenReviewer;
import dev.gatehouse.forward.UpstreamCredential;
import dev.gatehouse.forward.issued.IssuedTokenCarrier;
import dev.gatehouse.forward.issued.IssuedTokenMinter;
import dev.gatehouse.listen.GatewayServer;
import dev.gatehouse.ui.UiEndpoint;
import dev.gatehouse.ui.UiSettings;
import dev.gatehouse.metrics.GatewayMetrics;
import dev.gatehouse.record.Recorder;
import dev.gatehouse.session.FileRecordingStore;
import dev.gatehouse.session.RecordingStore;
import dev.gatehouse.session.SessionBridge;
import dev.gatehouse.session.SessionEvidence;
import dev.gatehouse.session.SessionRecording;
import dev.gatehouse.session.SessionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The gateway, wired by hand in one place: config → parts → chain → listeners.
 */
public final class Gatehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
    private static final Duration TOKEN_REVIEW_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final AutoCloseable evidence;
    private final AuditLog auditLog;
    private final Map<String, Upstream> upstreams;
    private final GatewayServer server;
    private final GatehouseIssuer issuer;
    private final AuditApi auditApi;
    private final ReviewParts reviews;
    private final PolicyEngine policy;

    /** @param evidence what to close last: the audit services (log, verifier, exporters) or the bare log */
    private Gatehouse(Vertx vertx, AutoCloseable evidence, AuditLog auditLog, Map<String, Upstream> upstreams,
                      GatewayServer server, GatehouseIssuer issuer, AuditApi auditApi, ReviewParts reviews,
                      PolicyEngine policy) {
        this.vertx = vertx;
        this.evidence = evidence;
        this.auditLog = auditLog;
        this.upstreams = upstreams;
        this.server = server;
        this.issuer = issuer;
        this.auditApi = auditApi;
        this.reviews = reviews;
        this.policy = policy;
    }

    /**
     * Starts the gateway with its durable, hash-chained audit log in {@code <dataDir>/audit}, the background
     * verifier, retention and the configured SIEM exporters.
     */
    public static Gatehouse start(GatehouseConfig config) {
        GatehouseConfig.AuditConfig audit = config.audit();
        Path logDir = auditDirectory(config);
        RetentionPolicy retention = audit.retention() == null ? null : new RetentionPolicy(audit.retention().hot(),
                audit.retention().keep(), audit.retention().archiveDir());
        String hostname = config.issuer() != null ? java.net.URI.create(config.issuer().url()).getHost()
                : config.listen().address();
        List<AuditServices.Exporter> exporters = audit.exporters().stream().map(e -> new AuditServices.Exporter(
                LogExporter.Config.of(e.name(), logDir, config.dataDir().resolve("export"), EventShapes.named(e.shape())),
                ExporterSinks.create(e, hostname))).toList();
        dev.gatehouse.evidence.ObjectStoreConfig objectStore = config.objectStore();
        AuditServices services = AuditServices.start(FileAuditLogConfig.of(logDir), retention, exporters,
                audit.verifyInterval(), objectStore == null ? null : () -> dev.gatehouse.evidence.EvidenceShipper.open(
                        dev.gatehouse.evidence.S3ObjectStore.open(objectStore), objectStore, config.dataDir(), logDir,
                        Clock.systemUTC()));
        try {
            return start(config, services.log(), services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** Where {@link #start(GatehouseConfig)} keeps the audit log. */
    public static Path auditDirectory(GatehouseConfig config) {
        return config.dataDir().resolve("audit");
    }

    /**
     * Starts the gateway; blocks until it listens. {@code auditLogFactory} opens the audit log in the data
     * directory (the file log in production; tests may pass their own).
     */
    public static Gatehouse start(GatehouseConfig config, Function<GatehouseConfig, AuditLog> auditLogFactory) {
        return start(config, auditLogFactory.apply(config), null);
    }

    private static Gatehouse start(GatehouseConfig config, AuditLog auditLog, AuditServices services) {
        LOG.info("starting with {}", config.describe());
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(
                Math.max(2, Runtime.getRuntime().availableProcessors())));
        LOG.info("transport: {}", vertx.isNativeTransportEnabled() ? "native epoll" : "NIO (native epoll unavailable)");
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        ReviewParts reviews = null;
        PolicyEngine policy = null;
        try {
            Clock clock = Clock.systemUTC();
            GatehouseIssuer issuer = config.issuer() == null ? null
                    : new GatehouseIssuer(config.issuer().url(), GatehouseSigningKeys.load(config.dataDir()));
            for (GatehouseConfig.ClusterConfig cluster : config.clusters()) {
                upstreams.put(cluster.name(), upstream(vertx, cluster, config, issuer, clock));
            }
            Authenticator authenticator = authenticator(vertx, config, issuer, clock, upstreams);
            Map<String, String> modes = new LinkedHashMap<>();
            upstreams.forEach((name, upstream) -> modes.put(name, upstream.carrier().mode()));
            GatewayMetrics metrics = new GatewayMetrics(auditLog);
            if (services != null) {
                metrics.watch(services);
            }
            // Secrets' values never reach a client, a log or a reviewer: masked as the responses stream, and in the
            // write bodies the record keeps
            MaskKeys maskKeys = MaskKeys.open(config.dataDir());
            Recorder recorder = new Recorder(auditLog, modes::get, metrics,
                    new RequestBodies(config.masking(), maskKeys::current));
            Forwarder forwarder = new Forwarder(vertx, upstreams, recorder, config.maxStreamDuration(),
                    config.upstreamTimeout(), new MaskingChoice(config.masking(), maskKeys::current));
            SessionRegistry sessionRegistry = new SessionRegistry();
            RecordingStore recordings = new FileRecordingStore(config.dataDir().resolve("sessions"));
            GatehouseConfig.SessionsConfig sessionsConfig = config.audit().sessions();
            SessionBridge sessions = new SessionBridge(vertx, forwarder, recorder, recordings, sessionRegistry,
                    new SessionBridge.Settings(sessionsConfig.idleTimeout(), sessionsConfig.maxRecordingBytes(),
                            sessionsConfig.atLimit().equals("end") ? SessionRecording.LimitAction.END
                                    : SessionRecording.LimitAction.METADATA, sessionsConfig.forwardPayload(),
                            SessionBridge.Settings.defaults().maxFrameBytes()));
            ClusterRoutes routes = ClusterRoutes.of(config);
            reviews = ReviewParts.start(vertx, config, auditLog, metrics, clock);
            HoldStage hold = new HoldStage(reviews.service(), config.reviews().holdTime(), APPROVE_COMMAND,
                    dev.gatehouse.forward.ClusterVersions.of(upstreams,
                            dev.gatehouse.forward.ClusterVersions.Settings.defaults())::version);
            PolicyAudit policyAudit = new PolicyAudit(auditLog, metrics.registry());
            policy = ReloadingPolicyEngine.of(new PolicySettings(config.policy().path(),
                    config.policy().reloadInterval()), policyAudit);
            policyAudit.started(policy instanceof ReloadingPolicyEngine reloading ? reloading.current().summary()
                    : ((RulePolicy) policy).summary());
            ReviewService reviewService = reviews.service();
            ProfileStage maskProfile = new ProfileStage(exchange -> reviewService.grantFor(
                    Requester.of(exchange.identity()), exchange.info(), exchange.id()).map(grant -> grant.map(
                    g -> new ProfileStage.ClearGrant(g.id(), g.validUntil()))), clock);
            GatewayChain chain = RequestPath.build(authenticator, routes, policy,
                    new MarkerGuard(config.masking()), hold, maskProfile, recorder,
                    forwarder, sessions);
            AuditApi auditApi = auditApi(vertx, config, authenticator, auditLog,
                    new SessionEvidence(recordings, sessionRegistry), maskKeys);
            GatewayServer server = GatewayServer.start(vertx, config.listen(), routes, chain, auditLog,
                    services == null ? () -> "" : () -> healthProblem(services),
                    endpoints(vertx, config, issuer, authenticator, auditLog, clock, routes, metrics, auditApi,
                            reportApi(config, auditLog, auditApi, recordings, clock),
                            new ReviewApi(vertx, authenticator, reviews.service(), EvidenceReaders.of(
                                    config.audit().readers().groups(), config.audit().readers().users()),
                                    ReviewApi.Settings.defaults())));
            LOG.info("listening on https://{}:{} for clusters {} (default cluster: {}, host names: {})",
                    config.listen().address(), server.port(), upstreams.keySet(),
                    routes.defaultCluster() == null ? "none" : routes.defaultCluster(),
                    routes.clusters().stream().filter(c -> !routes.hostNames(c).isEmpty())
                            .map(c -> c + "=" + routes.hostNames(c)).toList());
            return new Gatehouse(vertx, services != null ? services : auditLog, auditLog, upstreams, server, issuer,
                    auditApi, reviews, policy);
        } catch (IOException e) {
            close(upstreams, reviews, policy, vertx);
            throw new java.io.UncheckedIOException("cannot open the session recordings or the review store: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(upstreams, reviews, policy, vertx);
            throw e;
        }
    }

    /** What {@code /healthz} reports: an integrity alert first, then evidence shipping past its alert age. */
    private static String healthProblem(AuditServices services) {
        if (!services.integrity().ok()) {
            return "audit log integrity alert: " + services.integrity().problem();
        }
        return services.shipper() == null ? "" : services.shipper().problem();
    }

    private static void close(Map<String, Upstream> upstreams, ReviewParts reviews, PolicyEngine policy,
                              Vertx vertx) {
        upstreams.values().forEach(Upstream::close);
        if (policy instanceof ReloadingPolicyEngine reloading) {
            reloading.close();
        }
        if (reviews != null) {
            reviews.close();
        }
        vertx.close();
    }

    /** Every configured mechanism in one union (break-glass tokens first), behind the verified-token cache. */
    private static Authenticator authenticator(Vertx vertx, GatehouseConfig config, GatehouseIssuer issuer,
                                               Clock clock, Map<String, Upstream> upstreams) {
        GatehouseConfig.AuthenticationConfig authn = config.authentication();
        List<Authenticator> all = new ArrayList<>();
        if (authn.staticTokenFile() != null) {
            all.add(StaticTokenAuthenticator.load(authn.staticTokenFile()));
        }
        if (!authn.oidc().isEmpty()) {
            all.add(OidcAuthenticator.union(vertx, authn.oidc()));
        }
        for (GatehouseConfig.ServiceAccountSource source : authn.serviceAccounts()) {
            all.add(ServiceAccountAuthenticator.cached(new ServiceAccountConfig(source.key(), source.cluster(),
                            source.audiences(), source.issuers(), source.usernamePrefix(), source.cacheTtl()),
                    new UpstreamTokenReviewer(upstreams.get(source.cluster()), TOKEN_REVIEW_TIMEOUT)));
        }
        if (issuer != null) {
            all.add(new DelegatedTokenAuthenticator(issuer, clock));
        }
        Authenticator union = new UnionAuthenticator(all);
        return authn.tokenCacheEntries() == 0 ? union : new CachingAuthenticator(union,
                new VerifiedTokenCache(authn.tokenCacheEntries(), authn.tokenCacheMaxAge(), clock));
    }

    /**
     * The audit API over the log's directory: the file log's own (reads stop at what is durable), else the data
     * directory's {@code audit} (a test's log that is not the file log has nothing there to read).
     */
    private static AuditApi auditApi(Vertx vertx, GatehouseConfig config, Authenticator authenticator,
                                     AuditLog auditLog, SessionEvidence sessions, MaskKeys maskKeys) {
        EvidenceFiles files = auditLog instanceof ChainedFileAuditLog file
                ? new EvidenceFiles(file.directory(), file::size)
                : new EvidenceFiles(auditDirectory(config), () -> Long.MAX_VALUE);
        GatehouseConfig.ReadersConfig readers = config.audit().readers();
        GatehouseConfig.ReadersConfig keyAdmins = config.audit().keyAdmins();
        return new AuditApi(vertx, authenticator, EvidenceReaders.of(readers.groups(), readers.users()),
                EvidenceReaders.keyAdmins(keyAdmins.groups(), keyAdmins.users()), new EvidenceReadAudit(auditLog),
                files, auditLog, sessions, EvidenceReaders.moderators(config.audit().sessions().moderators().groups(),
                        config.audit().sessions().moderators().users()), maskKeys);
    }

    /** The reports over the same log directory as the audit API, with the session summaries beside it. */
    private static ReportApi reportApi(GatehouseConfig config, AuditLog auditLog, AuditApi auditApi,
                                       RecordingStore recordings, Clock clock) {
        java.nio.file.Path dir = auditLog instanceof ChainedFileAuditLog file ? file.directory()
                : auditDirectory(config);
        java.util.function.LongSupplier durable = auditLog instanceof ChainedFileAuditLog file ? file::size
                : () -> Long.MAX_VALUE;
        return new ReportApi(auditApi, new ReportRunner(Reports.standard(),
                new FileReportSources(dir, recordings, null), durable, clock), clock);
    }

    private static List<GatewayServer.Endpoint> endpoints(Vertx vertx, GatehouseConfig config, GatehouseIssuer issuer,
                                                          Authenticator authenticator, AuditLog auditLog,
                                                          Clock clock, ClusterRoutes routes,
                                                          GatewayMetrics metrics, AuditApi auditApi,
                                                          ReportApi reportApi, ReviewApi reviewApi) {
        List<GatewayServer.Endpoint> endpoints = new ArrayList<>();
        endpoints.add(request -> metrics.handle(request, authenticator));
        endpoints.add(auditApi::handle);
        endpoints.add(reportApi::handle);
        endpoints.add(reviewApi::handle);
        if (issuer != null) {
            TokenExchange exchange = new TokenExchange(issuer, authenticator,
                    config.issuer().delegationMaxLifetime(), clock);
            endpoints.add(new IssuerEndpoints(issuer, exchange, new TokenExchangeAudit(auditLog))::handle);
        }
        if (config.login() != null) {
            OidcIssuerConfig people = config.authentication().oidc().stream()
                    .filter(o -> o.issuerUrl().equals(config.login().issuerUrl())).findFirst().orElseThrow();
            List<String> clusters = List.copyOf(routes.clusters());
            endpoints.add(new LoginMetadataEndpoint(people, config.login().clientId(), config.login().scopes(),
                    () -> clusters, routes::serverUrls)::handle);
            // the web UI signs people in like 'gatehouse login' and calls the APIs above as them
            endpoints.add(UiEndpoint.of(vertx, people, config.login().clientId(), config.login().scopes(),
                    authenticator, new EvidenceReadAudit(auditLog), List.copyOf(endpoints), UiSettings.defaults())
                    ::handle);
        }
        return endpoints;
    }

    private static Upstream upstream(Vertx vertx, GatehouseConfig.ClusterConfig config, GatehouseConfig gateway,
                                     GatehouseIssuer issuer, Clock clock) {
        ClusterTarget target = ClusterTarget.resolve(config);
        UpstreamCredential credential = target.tokenFile() != null ? new TokenFileCredential(vertx, target.tokenFile())
                : target.token() != null ? UpstreamCredential.token(target.token())
                : UpstreamCredential.clientCertificate();
        Function<UpstreamCredential, IdentityCarrier> mode = IdentityCarrier::impersonate;
        if ("issued-token".equals(config.credentialMode())) {
            IssuedTokenMinter minter = new IssuedTokenMinter(issuer, gateway.issuer().issuedTokenLifetime(), clock);
            String audience = config.audience() != null ? config.audience() : target.server().toString();
            mode = ignored -> new IssuedTokenCarrier(minter, audience);
        }
        return Upstream.create(vertx, config.name(), target.server(), target.caPem(), target.clientCertPem(),
                target.clientKeyPem(), credential, mode);
    }

    /** The port the gateway listens on (useful when the config asked for port 0). */
    public int port() {
        return server.port();
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** The gateway's own token issuer, or null when {@code issuer} is not configured. */
    public GatehouseIssuer issuer() {
        return issuer;
    }

    /** Stops listening, closes upstream clients, then flushes and closes the evidence (a final checkpoint). */
    @Override
    public void close() {
        server.close();
        upstreams.values().forEach(Upstream::close);
        auditApi.close();
        reviews.close();
        if (policy instanceof ReloadingPolicyEngine reloading) {
            reloading.close();
        }
        try {
            evidence.close();
        } catch (Exception e) {
            LOG.error("closing the audit log: {}", e.getMessage());
        }
        vertx.close().await();
    }

    /** What an approver runs; shown in held requests' messages and the pending notice of held sessions. */
    static final String APPROVE_COMMAND = "gatehouse reviews approve %s";

    /** The review service over its store, telling the audit log (awaited) and the configured webhooks (not). */
    private record ReviewParts(ReviewService service, StoreChoice store, WebhookNotifier notifier) {
        static ReviewParts start(Vertx vertx, GatehouseConfig config, AuditLog auditLog, GatewayMetrics metrics,
                                 Clock clock) throws IOException {
            GatehouseConfig.ReviewsConfig settings = config.reviews();
            WebhookNotifier notifier = settings.notifications().isEmpty() ? null : new WebhookNotifier(vertx,
                    WebhookNotifierSettings.of(settings.notifications().stream().map(Gatehouse::webhook).toList()),
                    metrics.registry());
            ReviewListener listener = notifier == null ? ReviewListeners.of(new ReviewAuditEvents(auditLog))
                    : ReviewListeners.of(new ReviewAuditEvents(auditLog), new NotifyingListener(notifier,
                    "https://" + config.listen().address() + ":" + config.listen().port()));
            GatehouseConfig.GrantsConfig grants = settings.grants();
            ReviewRequirement grantRequirement = new ReviewRequirement(grants.approvers().groups(),
                    grants.approvers().users(), grants.approvals(), grants.reasonRequired(), List.of(), null, null,
                    null);
            StoreChoice store = StoreChoice.open(config.store(), config.dataDir(),
                    auditLog instanceof ChainedFileAuditLog file ? file : null, clock);
            ReviewService service = new ReviewService(vertx, store.reviews(), listener, new ReviewSettings(settings.holdTime(),
                    settings.pendingExpiry(), grantRequirement, grants.maxDuration(), settings.pollInterval(),
                    Duration.ofSeconds(10)), clock).start();
            return new ReviewParts(service, store, notifier);
        }

        void close() {
            service.close();
            store.close();
            if (notifier != null) {
                notifier.shutdown();
            }
        }
    }

    private static WebhookTarget webhook(GatehouseConfig.NotifyConfig n) {
        return new WebhookTarget(n.name(), WebhookTarget.parse("reviews.notify[" + n.name() + "].url",
                n.url().toString()), WebhookFormat.fromWireName(n.format()), n.caFile(),
                n.headers().entrySet().stream().map(h -> WebhookHeader.fromFile(h.getKey(), h.getValue())).toList(),
                n.events().stream().map(ReviewNotice.Kind::fromWireName).collect(java.util.stream.Collectors.toSet()));
    }
}
