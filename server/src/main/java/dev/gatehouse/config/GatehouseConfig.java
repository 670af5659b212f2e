package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.authn.oidc.OidcIssuerConfig;

/**
 * The gateway's whole configuration: one immutable record per concern, validated when loaded
 * ({@link ConfigLoader}) with errors that name the key.
 *
 * @param issuer         the gateway's own token issuer (delegation, issued-token mode), or null when not configured
 * @param login          what {@code gatehouse login} is told about the people IdP, or null
 * @param defaultCluster the cluster served at the root path of the gateway's own names (so absolute paths such as
 *                       {@code kubectl get --raw /version} reach it), or null for none
 * @param objectStore    {@code evidence.objectStore}: where evidence is shipped, or null for none
 */
public record GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration,
                              Duration upstreamTimeout, AuthenticationConfig authentication, IssuerConfig issuer,
                              LoginConfig login, AuditConfig audit, List<ClusterConfig> clusters,
                              String defaultCluster, PolicyConfig policy, ReviewsConfig reviews, StoreConfig store,
                              dev.gatehouse.mask.MaskingSettings masking,
                              dev.gatehouse.evidence.ObjectStoreConfig objectStore) {
    public GatehouseConfig {
        store = store == null ? StoreConfig.embedded() : store;
        masking = masking == null ? dev.gatehouse.mask.MaskingSettings.defaults() : masking;
        policy = policy == null ? PolicyConfig.defaults() : policy;
        reviews = reviews == null ? ReviewsConfig.defaults() : reviews;
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(authentication, "authentication");
        audit = audit == null ? AuditConfig.defaults() : audit;
        clusters = List.copyOf(clusters);
        if (defaultCluster != null && clusters.stream().noneMatch(c -> c.name().equals(defaultCluster))) {
            throw new IllegalArgumentException("defaultCluster: \"" + defaultCluster + "\" (expected: one of "
                    + clusters.stream().map(ClusterConfig::name).toList() + ")");
        }
        java.util.Map<String, String> hosts = new java.util.HashMap<>();
        for (ClusterConfig c : clusters) {
            for (String host : c.hostNames()) {
                String other = hosts.putIfAbsent(host, c.name());
                if (other != null) {
                    throw new IllegalArgumentException("clusters[].hostNames: \"" + host + "\" is named by clusters "
                            + other + " and " + c.name());
                }
            }
        }
    }

    /** With the embedded store (one node), the default masking and no evidence shipping. */
    public GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration, Duration upstreamTimeout,
                           AuthenticationConfig authentication, IssuerConfig issuer, LoginConfig login,
                           AuditConfig audit, List<ClusterConfig> clusters, String defaultCluster,
                           PolicyConfig policy, ReviewsConfig reviews) {
        this(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login, audit, clusters,
                defaultCluster, policy, reviews, null, null, null);
    }

    /** A copy with another store (the replicas' shared PostgreSQL, or the embedded default). */
    public GatehouseConfig withStore(StoreConfig store) {
        return new GatehouseConfig(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login,
                audit, clusters, defaultCluster, policy, reviews, store, masking, objectStore);
    }

    /** With the shipped default policy and the default review settings. */
    public GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration, Duration upstreamTimeout,
                           AuthenticationConfig authentication, IssuerConfig issuer, LoginConfig login,
                           AuditConfig audit, List<ClusterConfig> clusters, String defaultCluster) {
        this(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login, audit, clusters,
                defaultCluster, null, null);
    }

    /** A copy with another policy and review settings. */
    public GatehouseConfig withPolicy(PolicyConfig policy, ReviewsConfig reviews) {
        return new GatehouseConfig(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login,
                audit, clusters, defaultCluster, policy, reviews, store, masking, objectStore);
    }

    /** A copy with other masking settings. */
    public GatehouseConfig withMasking(dev.gatehouse.mask.MaskingSettings masking) {
        return new GatehouseConfig(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login,
                audit, clusters, defaultCluster, policy, reviews, store, masking, objectStore);
    }

    /** A copy that ships sealed evidence to object storage ({@code evidence.objectStore}; null: none). */
    public GatehouseConfig withObjectStore(dev.gatehouse.evidence.ObjectStoreConfig objectStore) {
        return new GatehouseConfig(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login,
                audit, clusters, defaultCluster, policy, reviews, store, masking, objectStore);
    }

    /**
     * {@code policy}: the rules every request is decided by.
     *
     * @param path           a policy file or a directory of them; null for the policy shipped with Gatehouse
     *                       ({@code policy/default.yaml})
     * @param reloadInterval how often the files are checked for changes
     */
    public record PolicyConfig(Path path, Duration reloadInterval) {
        public static PolicyConfig defaults() {
            return new PolicyConfig(null, Duration.ofSeconds(2));
        }
    }

    /**
     * {@code reviews}: holding requests for approval, and time-boxed grants.
     *
     * @param holdTime      how long a held request waits for a decision when its rule does not say
     * @param pendingExpiry how long a review stays pending when its rule does not say
     * @param pollInterval  how often a gateway with held requests looks for decisions written by another replica
     * @param grants        who approves time-boxed access requests (default: nobody, so no grant can be approved)
     * @param notifications webhooks told about reviews and grants ({@code reviews.notify[]})
     */
    public record ReviewsConfig(Duration holdTime, Duration pendingExpiry, Duration pollInterval,
                                GrantsConfig grants, List<NotifyConfig> notifications) {
        public ReviewsConfig {
            grants = grants == null ? GrantsConfig.defaults() : grants;
            notifications = List.copyOf(notifications == null ? List.of() : notifications);
        }

        public static ReviewsConfig defaults() {
            return new ReviewsConfig(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(1), null, null);
        }
    }

    /** {@code reviews.grants}: approvers of access requests, how many, whether a reason is required, the longest. */
    public record GrantsConfig(ReadersConfig approvers, int approvals, boolean reasonRequired, Duration maxDuration) {
        public GrantsConfig {
            approvers = approvers == null ? ReadersConfig.nobody() : approvers;
        }

        public static GrantsConfig defaults() {
            return new GrantsConfig(ReadersConfig.nobody(), 1, true, Duration.ofHours(8));
        }
    }

    /**
     * {@code reviews.notify[]}: one webhook told about reviews.
     *
     * @param format  slack or json
     * @param headers extra request headers, each value read from a file (never logged)
     * @param events  which events to send (empty: all)
     */
    public record NotifyConfig(String name, java.net.URI url, String format, Path caFile, Map<String, Path> headers,
                               List<String> events) {
        public NotifyConfig {
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            events = List.copyOf(events == null ? List.of() : events);
        }
    }

    /** Without a default cluster: clusters are served at their path prefix and host names only. */
    public GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration, Duration upstreamTimeout,
                           AuthenticationConfig authentication, IssuerConfig issuer, LoginConfig login,
                           AuditConfig audit, List<ClusterConfig> clusters) {
        this(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login, audit, clusters,
                null);
    }

    /** With the default audit settings (no retention, no exporters). */
    public GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration, Duration upstreamTimeout,
                           AuthenticationConfig authentication, IssuerConfig issuer, LoginConfig login,
                           List<ClusterConfig> clusters) {
        this(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, issuer, login, null, clusters);
    }

    /** A configuration with static tokens only, no issuer and no login (tests, benchmarks). */
    public GatehouseConfig(ListenConfig listen, Path dataDir, Duration maxStreamDuration, Duration upstreamTimeout,
                           AuthenticationConfig authentication, List<ClusterConfig> clusters) {
        this(listen, dataDir, maxStreamDuration, upstreamTimeout, authentication, null, null, null, clusters);
    }

    /**
     * The evidence around the log: how often the background verifier re-checks new checkpoints, retention (null:
     * keep everything in the live directory), and SIEM exporters.
     */
    public record AuditConfig(Duration verifyInterval, RetentionConfig retention, List<ExporterConfig> exporters,
                              ReadersConfig readers, ReadersConfig keyAdmins, SessionsConfig sessions) {
        public AuditConfig {
            exporters = List.copyOf(exporters);
            readers = readers == null ? ReadersConfig.nobody() : readers;
            keyAdmins = keyAdmins == null ? ReadersConfig.nobody() : keyAdmins;
            sessions = sessions == null ? SessionsConfig.defaults() : sessions;
        }

        public AuditConfig(Duration verifyInterval, RetentionConfig retention, List<ExporterConfig> exporters,
                           ReadersConfig readers, ReadersConfig keyAdmins) {
            this(verifyInterval, retention, exporters, readers, keyAdmins, null);
        }

        /** Nobody may rotate the signing key through the API. */
        public AuditConfig(Duration verifyInterval, RetentionConfig retention, List<ExporterConfig> exporters,
                           ReadersConfig readers) {
            this(verifyInterval, retention, exporters, readers, null);
        }

        /** Without readers: nobody may read the evidence through the API. */
        public AuditConfig(Duration verifyInterval, RetentionConfig retention, List<ExporterConfig> exporters) {
            this(verifyInterval, retention, exporters, null);
        }

        public static AuditConfig defaults() {
            return new AuditConfig(Duration.ofMinutes(1), null, List.of());
        }
    }

    /**
     * {@code audit.sessions}: how exec, attach and port-forward sessions are recorded and ended.
     *
     * @param moderators        who may end a live session through the API (default: nobody)
     * @param idleTimeout       a session with no byte either way for this long is ended
     * @param maxRecordingBytes the most a recording may hold
     * @param atLimit           {@code end} (end the session with a message) or {@code metadata} (stop payload capture,
     *                          keep recording metadata); the end event says which happened
     * @param forwardPayload    record the bytes of port-forward connections too (default: only counts)
     */
    public record SessionsConfig(ReadersConfig moderators, Duration idleTimeout, long maxRecordingBytes,
                                 String atLimit, boolean forwardPayload) {
        public static SessionsConfig defaults() {
            return new SessionsConfig(ReadersConfig.nobody(), Duration.ofMinutes(30), 1L << 30, "end", false);
        }
    }

    /**
     * {@code audit.readers}: who may read the evidence through the gateway's audit API ({@code /gatehouse/v1/audit});
     * an identity in one of {@code groups} or named in {@code users}. Empty (the default): nobody. The same shape
     * says who may rotate the checkpoint signing key ({@code audit.keyAdmins}).
     */
    public record ReadersConfig(List<String> groups, List<String> users) {
        public ReadersConfig {
            groups = List.copyOf(groups == null ? List.of() : groups);
            users = List.copyOf(users == null ? List.of() : users);
        }

        public static ReadersConfig nobody() {
            return new ReadersConfig(List.of(), List.of());
        }
    }

    /** Sealed segments older than {@code hot} move to {@code archiveDir}; older than {@code keep} are deleted. */
    public record RetentionConfig(Duration hot, Duration keep, Path archiveDir) {
    }

    /**
     * One SIEM exporter, a consumer of the log with its own durable cursor.
     *
     * @param type      file, syslog, webhook or kafka
     * @param shape     kubernetes (the audit Event) or ocsf (API Activity)
     * @param tls       for syslog and kafka: TLS to the receiver
     * @param format    for webhook: ndjson, splunk-hec or otlp
     * @param tokenFile for webhook: a bearer / Splunk token, read at start
     * @param caFile    for syslog and kafka over TLS and https webhooks: the receiver's CA (else the JDK's trust
     *                  store)
     * @param kafka     for kafka: brokers, topic and SASL; null for the other types
     */
    public record ExporterConfig(String key, String name, String type, String shape, Path directory, long maxBytes,
                                 int keepFiles, String host, int port, boolean tls, String url, String format,
                                 Path tokenFile, Path caFile, KafkaExport kafka) {
    }

    /**
     * Where a kafka exporter produces.
     *
     * @param bootstrapServers host:port of one or more brokers
     * @param topic            the topic the events go to
     * @param saslMechanism    PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, or null for no SASL
     * @param username         the SASL user
     * @param passwordFile     the file holding the SASL password, read at start
     */
    public record KafkaExport(List<String> bootstrapServers, String topic, String saslMechanism, String username,
                              Path passwordFile) {
        public KafkaExport {
            bootstrapServers = List.copyOf(bootstrapServers);
        }
    }

    /** Where the gateway listens, with its TLS certificate and key (PEM files). */
    public record ListenConfig(String address, int port, Path certFile, Path keyFile) {
    }

    /**
     * How clients authenticate.
     *
     * @param staticTokenFile   the break-glass token file, or null
     * @param oidc              OIDC issuers (people, CI), in order
     * @param serviceAccounts   clusters whose service-account tokens are verified by TokenReview
     * @param tokenCacheEntries most verified tokens remembered (0 disables the cache)
     * @param tokenCacheMaxAge  longest a verified token is remembered (never past its expiry)
     */
    public record AuthenticationConfig(Path staticTokenFile, List<OidcIssuerConfig> oidc,
                                       List<ServiceAccountSource> serviceAccounts, int tokenCacheEntries,
                                       Duration tokenCacheMaxAge) {
        public AuthenticationConfig {
            oidc = List.copyOf(oidc);
            serviceAccounts = List.copyOf(serviceAccounts);
        }

        public AuthenticationConfig(Path staticTokenFile) {
            this(staticTokenFile, List.of(), List.of(), 10_000, Duration.ofMinutes(5));
        }
    }

    /**
     * Service-account tokens of one cluster, verified with its TokenReview API using the gateway's credential.
     *
     * @param cluster        the cluster (one of {@code clusters[].name})
     * @param audiences      audiences the token must carry (TokenReview spec.audiences); empty for the default
     * @param issuers        the cluster's service-account issuers, used to route tokens; empty for the defaults
     * @param usernamePrefix put before the service account's name, e.g. {@code prod:}
     * @param cacheTtl       how long a successful review is reused
     */
    public record ServiceAccountSource(String key, String cluster, List<String> audiences, List<String> issuers,
                                       String usernamePrefix, Duration cacheTtl) {
    }

    /**
     * The gateway's own token issuer: publishes discovery and JWKS, signs delegated (token-exchange) tokens and
     * the per-request tokens of the issued-token mode.
     *
     * @param url                    the issuer URL clients and clusters reach the gateway at (https, no trailing /)
     * @param delegationMaxLifetime  longest lifetime of a token-exchange token
     * @param issuedTokenLifetime    lifetime of a per-request upstream token
     */
    public record IssuerConfig(String url, Duration delegationMaxLifetime, Duration issuedTokenLifetime) {
    }

    /**
     * What {@code gatehouse login} discovers from the gateway.
     *
     * @param issuerUrl which of {@code authentication.oidc[]} people log in with
     * @param clientId  the public client registered for the CLI
     * @param scopes    scopes to request
     */
    public record LoginConfig(String issuerUrl, String clientId, List<String> scopes) {
    }

    /**
     * A cluster the gateway serves at {@code /clusters/<name>}, and at the root of each of its {@code hostNames}.
     * Either {@code kubeconfig} (+ optional {@code context}) or {@code server} + {@code caFile} + ({@code tokenFile}
     * or client cert/key files).
     *
     * @param audience  for {@code credentialMode: issued-token}, the audience the cluster expects (default: its
     *                  server URL)
     * @param hostNames lower-case DNS names (no wildcard, no trailing dot) at which the gateway serves this cluster
     *                  with the whole request path as the cluster's path; the listener's certificate must cover them
     */
    public record ClusterConfig(String name, Path kubeconfig, String context, String server, Path caFile,
                                Path tokenFile, Path clientCertFile, Path clientKeyFile, String credentialMode,
                                String audience, List<String> hostNames) {
        public ClusterConfig {
            hostNames = List.copyOf(hostNames == null ? List.of() : hostNames);
        }

        public ClusterConfig(String name, Path kubeconfig, String context, String server, Path caFile,
                             Path tokenFile, Path clientCertFile, Path clientKeyFile, String credentialMode,
                             String audience) {
            this(name, kubeconfig, context, server, caFile, tokenFile, clientCertFile, clientKeyFile, credentialMode,
                    audience, List.of());
        }

        public ClusterConfig(String name, Path kubeconfig, String context, String server, Path caFile,
                             Path tokenFile, Path clientCertFile, Path clientKeyFile, String credentialMode) {
            this(name, kubeconfig, context, server, caFile, tokenFile, clientCertFile, clientKeyFile, credentialMode,
                    null);
        }
    }

    /** The effective configuration as one log line; holds paths and URLs only, never a secret. */
    public String describe() {
        StringBuilder b = new StringBuilder("listen=").append(listen.address()).append(':').append(listen.port())
                .append(" dataDir=").append(dataDir).append(" maxStreamDuration=").append(maxStreamDuration)
                .append(" upstreamTimeout=").append(upstreamTimeout)
                .append(" staticTokenFile=").append(authentication.staticTokenFile())
                .append(" oidc=").append(authentication.oidc().stream().map(OidcIssuerConfig::issuerUrl).toList())
                .append(" serviceAccounts=").append(authentication.serviceAccounts().stream()
                        .map(ServiceAccountSource::cluster).toList())
                .append(" issuer=").append(issuer == null ? "none" : issuer.url())
                .append(" auditReaders=users").append(audit.readers().users()).append(" groups")
                .append(audit.readers().groups()).append(" auditKeyAdmins=users").append(audit.keyAdmins().users())
                .append(" groups").append(audit.keyAdmins().groups())
                .append(" clusters=[");
        for (ClusterConfig c : clusters) {
            b.append(c.name()).append("(").append(c.kubeconfig() != null ? "kubeconfig " + c.kubeconfig()
                    : c.server()).append(", ").append(c.credentialMode());
            if (!c.hostNames().isEmpty()) {
                b.append(", hostNames ").append(c.hostNames());
            }
            b.append(") ");
        }
        return b.append("] defaultCluster=").append(defaultCluster == null ? "none" : defaultCluster)
                .append(" policy=").append(policy.path() == null ? "(shipped default)" : policy.path())
                .append(" reviews.holdTime=").append(reviews.holdTime())
                .append(" reviews.grants.approvers=users").append(reviews.grants().approvers().users()).append(" groups")
                .append(reviews.grants().approvers().groups())
                .append(" reviews.notify=").append(reviews.notifications().stream().map(NotifyConfig::name).toList())
                .append(' ').append(store)
                .append(" evidence.objectStore=").append(objectStore == null ? "none" : objectStore.url()).toString();
    }
}
