package dev.gatehouse.e2e.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assumptions;

import dev.gatehouse.e2e.ManagedProcess;
import dev.gatehouse.listen.CertificateAuthority;
import dev.gatehouse.listen.PemTrust;
import dev.gatehouse.sandbox.kubectl.Kubeconfig;
import dev.gatehouse.sandbox.kubectl.Kubectl;

/**
 * A real kube-apiserver (built by {@code scripts/prepare-kube-apiserver.sh} from Debian's {@code kubernetes}
 * source package, 1.20) with Debian's etcd, both on free loopback ports, for end-to-end tests.
 *
 * <p>What it runs: HTTPS on 127.0.0.1 with a serving certificate from a fresh test CA; static-token
 * authentication with an admin token ({@value #ADMIN_USER}, group system:masters, for test setup) and a
 * gateway token ({@value #GATEWAY_USER}, no groups beyond system:authenticated); RBAC authorization; an audit
 * log of every request at Metadata level, as JSON lines; the ServiceAccount admission plugin is off (no
 * controller manager creates default service accounts), so pods can be created and stay Pending (no
 * scheduler, no kubelet). Extra flags can be added on the {@link Builder} (e.g. {@code --oidc-issuer-url}).
 *
 * <p>Every process has a hard lifetime, logs to a file in {@link #workDir()}, and is stopped by pid (its
 * whole process tree) in {@link #close()}, which also deletes the work dir unless
 * {@code GATEHOUSE_KEEP_APISERVER_DIR=1}.
 *
 * <p>Binaries: {@code $GATEHOUSE_KUBE_APISERVER}, else the newest
 * {@code ${GATEHOUSE_CACHE:-~/.cache/gatehouse}/kube-apiserver/<version>/kube-apiserver}; etcd from
 * {@code $GATEHOUSE_ETCD}, else {@code etcd} on PATH / {@code /usr/bin/etcd}. When they are missing,
 * {@link #requireBinaries()} fails the test (always under {@code CI=true}), or aborts it as skipped when
 * {@code GATEHOUSE_SKIP_APISERVER=1} is set outside CI.
 */
public final class RealApiServer implements AutoCloseable {
    public static final String ADMIN_USER = "gatehouse-admin";
    public static final String GATEWAY_USER = "gatehouse-gateway";
    public static final String ALICE = "alice";
    public static final String TEAM_A = "team-a";
    public static final String TEAM_B = "team-b";
    public static final String IMPERSONATOR_CLUSTER_ROLE = "gatehouse-impersonator";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path workDir;
    private final CertificateAuthority ca;
    private final Path caFile;
    private final URI url;
    private final String adminToken;
    private final String gatewayToken;
    private final Map<String, String> userTokens;
    private final Path auditLog;
    private final boolean keepWorkDir;
    private final ManagedProcess etcd;
    private final ManagedProcess apiServer;
    private final HttpClient http;

    private RealApiServer(Builder b, ManagedProcess etcd, ManagedProcess apiServer, URI url, HttpClient http) {
        this.workDir = b.workDir;
        this.ca = b.ca;
        this.caFile = b.caFile;
        this.url = url;
        this.adminToken = b.adminToken;
        this.gatewayToken = b.gatewayToken;
        this.userTokens = Map.copyOf(b.userTokens);
        this.auditLog = b.workDir.resolve("audit.log");
        this.keepWorkDir = b.keepWorkDir;
        this.etcd = etcd;
        this.apiServer = apiServer;
        this.http = http;
    }

    // ------------------------------------------------------------------------------------------------
    // Binaries

    /** The kube-apiserver and etcd binaries to run. */
    public record Binaries(Path kubeApiServer, Path etcd) {
    }

    static Path cacheRoot() {
        return cacheRoot("kube-apiserver");
    }

    /** {@code ${GATEHOUSE_CACHE:-~/.cache/gatehouse}/<what>}, where the prepare scripts cache what they build. */
    public static Path cacheRoot(String what) {
        String cache = System.getenv("GATEHOUSE_CACHE");
        return (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "gatehouse"))
                .resolve(what);
    }

    /** The kube-apiserver binary: {@code $GATEHOUSE_KUBE_APISERVER} or the newest cached version. */
    public static Optional<Path> findKubeApiServer() {
        return findCached("GATEHOUSE_KUBE_APISERVER", "kube-apiserver");
    }

    /** A built binary: {@code $<env>} when set, else the newest {@code <cache>/<name>/<version>/<name>}. */
    public static Optional<Path> findCached(String env, String name) {
        String explicit = System.getenv(env);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        Path root = cacheRoot(name);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve(name))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(p -> versionKey(p.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("[.+-]")) {
            key.append(part.chars().allMatch(Character::isDigit) && !part.isEmpty()
                    ? String.format(Locale.ROOT, "%08d", Long.parseLong(part)) : part).append('.');
        }
        return key.toString();
    }

    /** The etcd binary: {@code $GATEHOUSE_ETCD}, {@code etcd} on PATH, or {@code /usr/bin/etcd}. */
    public static Optional<Path> findEtcd() {
        String explicit = System.getenv("GATEHOUSE_ETCD");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()),
                        Stream.of("/usr/bin"))
                .map(dir -> Path.of(dir, "etcd"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Finds both binaries, or ends the test: a failure with instructions under {@code CI=true} and by
     * default, or a skip (JUnit assumption) when {@code GATEHOUSE_SKIP_APISERVER=1} is set outside CI.
     */
    public static Binaries requireBinaries() {
        Optional<Path> apiServer = findKubeApiServer();
        Optional<Path> etcd = findEtcd();
        if (apiServer.isPresent() && etcd.isPresent()) {
            return new Binaries(apiServer.get(), etcd.get());
        }
        StringBuilder why = new StringBuilder("real kube-apiserver tests cannot run:");
        if (apiServer.isEmpty()) {
            why.append(" no kube-apiserver binary under ").append(cacheRoot()).append("/<version>/kube-apiserver")
                    .append(System.getenv("GATEHOUSE_KUBE_APISERVER") != null ? " (nor at $GATEHOUSE_KUBE_APISERVER)" : "")
                    .append(';');
        }
        if (etcd.isEmpty()) {
            why.append(" no etcd binary (Debian package etcd-server) on PATH or at $GATEHOUSE_ETCD;");
        }
        why.append(" run scripts/prepare-kube-apiserver.sh (./run-tests does) to build and cache it");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci && "1".equals(System.getenv("GATEHOUSE_SKIP_APISERVER"))) {
            String reason = why + " [skipped: GATEHOUSE_SKIP_APISERVER=1]";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        throw new IllegalStateException(why + (ci ? " [CI=true: failing]"
                : " [set GATEHOUSE_SKIP_APISERVER=1 to skip these tests on a developer machine]"));
    }

    // ------------------------------------------------------------------------------------------------
    // Starting

    /** Starts a server with the defaults. */
    public static RealApiServer start() {
        return builder().start();
    }

    /**
     * A builder: it finds the binaries (see {@link #requireBinaries()}) and creates the work dir, the CA and
     * the tokens at once, so the caller can set things up
     * that the server's flags point at (an OIDC issuer with a certificate from {@link Builder#certificateAuthority()},
     * files in {@link Builder#workDir()}) before {@link Builder#start()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures and starts a {@link RealApiServer}. */
    public static final class Builder {
        private final Path workDir;
        private final CertificateAuthority ca;
        private final Path caFile;
        private final String adminToken = newToken();
        private final String gatewayToken = newToken();
        private final Map<String, String> userTokens = new LinkedHashMap<>();
        private final Map<String, List<String>> userGroups = new LinkedHashMap<>();
        private final List<String> extraArgs = new ArrayList<>();
        private Duration startupTimeout = Duration.ofSeconds(120);
        private Duration lifetime = Duration.ofMinutes(30);
        private boolean keepWorkDir = "1".equals(System.getenv("GATEHOUSE_KEEP_APISERVER_DIR"));
        private boolean started;

        private final Binaries binaries;

        private Builder() {
            binaries = requireBinaries();
            try {
                workDir = Files.createTempDirectory("gatehouse-apiserver-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp dir", e);
            }
            ca = CertificateAuthority.create("gatehouse-e2e-apiserver-ca", Duration.ofDays(2));
            caFile = write(workDir.resolve("pki/ca.crt"), ca.certificatePem(), false);
        }

        /** The work dir (temp; logs, certificates, etcd data, audit log live here). */
        public Path workDir() {
            return workDir;
        }

        /** The CA that issues the server's serving certificate; the caller may issue its own from it. */
        public CertificateAuthority certificateAuthority() {
            return ca;
        }

        /** The CA certificate file. */
        public Path caFile() {
            return caFile;
        }

        /** Adds kube-apiserver flags, e.g. {@code "--oidc-issuer-url=https://127.0.0.1:8443"}. */
        public Builder addArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** Adds a static token for {@code user} with the given groups; returns the token. */
        public String addUserToken(String user, String... groups) {
            String token = newToken();
            userTokens.put(user, token);
            userGroups.put(user, List.of(groups));
            return token;
        }

        /** How long to wait for etcd's /health and the apiserver's /readyz (default 120 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Hard lifetime of each process, after which it is killed even if nobody closes it (default 30 min). */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** Keeps the work dir (logs, audit log) after close. */
        public Builder keepWorkDir(boolean keep) {
            this.keepWorkDir = keep;
            return this;
        }

        /** Starts etcd and kube-apiserver and waits until /readyz answers 200 to the admin token. */
        public RealApiServer start() {
            if (started) {
                throw new IllegalStateException("already started");
            }
            started = true;
            try {
                return startWith(binaries);
            } catch (RuntimeException | Error e) {
                if (!keepWorkDir) {
                    deleteTree(workDir);
                }
                throw e;
            }
        }

        private RealApiServer startWith(Binaries binaries) {
            CertificateAuthority.Issued serving = ca.issueServer("kube-apiserver",
                    List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                            "kubernetes.default.svc.cluster.local"),
                    List.of("127.0.0.1", "10.0.0.1"), Duration.ofDays(2));
            // Keys as PKCS#8: Issued.privateKeyPem() writes SEC1 "EC PRIVATE KEY" without the curve
            // parameters, which Go (and OpenSSL) reject.
            Path tlsCert = write(workDir.resolve("pki/apiserver.crt"), serving.certificatePem(), false);
            Path tlsKey = write(workDir.resolve("pki/apiserver.key"), pkcs8Pem(serving.keyPair().getPrivate()), true);
            // Service-account token signing key pair (1.20 requires the issuer, a signing key and a key file).
            java.security.KeyPair saKeys = ca.issueClient("service-account-signer", Duration.ofDays(2)).keyPair();
            Path saKey = write(workDir.resolve("pki/service-account.key"), pkcs8Pem(saKeys.getPrivate()), true);
            Path saPub = write(workDir.resolve("pki/service-account.pub"), pem("PUBLIC KEY", saKeys.getPublic().getEncoded()), false);

            StringBuilder tokens = new StringBuilder();
            tokens.append(adminToken).append(',').append(ADMIN_USER).append(",uid-admin,\"system:masters\"\n");
            tokens.append(gatewayToken).append(',').append(GATEWAY_USER).append(",uid-gateway\n");
            userTokens.forEach((user, token) -> {
                tokens.append(token).append(',').append(user).append(",uid-").append(user);
                if (!userGroups.get(user).isEmpty()) {
                    tokens.append(",\"").append(String.join(",", userGroups.get(user))).append('"');
                }
                tokens.append('\n');
            });
            Path tokenFile = write(workDir.resolve("tokens.csv"), tokens.toString(), true);
            Path auditPolicy = write(workDir.resolve("audit-policy.yaml"), resource("apiserver/audit-policy.yaml"), false);

            HttpClient http = httpClient(caFile);
            RuntimeException lastBind = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                int etcdClient = freePort();
                int etcdPeer = freePort();
                int securePort = freePort();
                ManagedProcess etcd = startEtcd(binaries.etcd(), etcdClient, etcdPeer, attempt);
                try {
                    awaitEtcd(http, etcd, etcdClient);
                } catch (PortInUse e) {
                    etcd.close();
                    lastBind = e;
                    continue;
                } catch (RuntimeException | Error e) {
                    etcd.close();
                    throw e;
                }
                List<String> args = new ArrayList<>(List.of(
                        binaries.kubeApiServer().toString(),
                        "--advertise-address=127.0.0.1",
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + securePort,
                        "--insecure-port=0",
                        "--etcd-servers=http://127.0.0.1:" + etcdClient,
                        "--tls-cert-file=" + tlsCert,
                        "--tls-private-key-file=" + tlsKey,
                        "--cert-dir=" + workDir.resolve("pki/generated"),
                        "--token-auth-file=" + tokenFile,
                        "--authorization-mode=RBAC",
                        "--enable-bootstrap-token-auth=false",
                        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                        "--service-account-key-file=" + saPub,
                        "--service-account-signing-key-file=" + saKey,
                        "--service-cluster-ip-range=10.0.0.0/24",
                        // No controller manager creates the "default" service accounts pods would need.
                        "--disable-admission-plugins=ServiceAccount",
                        "--audit-policy-file=" + auditPolicy,
                        "--audit-log-path=" + workDir.resolve("audit.log"),
                        "--audit-log-format=json",
                        "--audit-log-mode=blocking",
                        "--profiling=false",
                        "--v=1"));
                args.addAll(extraArgs);
                ManagedProcess apiServer = ManagedProcess.start("kube-apiserver", args,
                        workDir.resolve("kube-apiserver-" + attempt + ".log"), lifetime, Map.of("GOMAXPROCS", "2"));
                URI url = URI.create("https://127.0.0.1:" + securePort);
                try {
                    awaitReady(http, apiServer, url, adminToken);
                    return new RealApiServer(this, etcd, apiServer, url, http);
                } catch (PortInUse e) {
                    apiServer.close();
                    etcd.close();
                    lastBind = e;
                } catch (RuntimeException | Error e) {
                    apiServer.close();
                    etcd.close();
                    throw e;
                }
            }
            throw new IllegalStateException("cannot start etcd/kube-apiserver: ports kept being taken", lastBind);
        }

        private ManagedProcess startEtcd(Path binary, int clientPort, int peerPort, int attempt) {
            String client = "http://127.0.0.1:" + clientPort;
            String peer = "http://127.0.0.1:" + peerPort;
            Path data = workDir.resolve("etcd-data-" + attempt);
            return ManagedProcess.start("etcd", List.of(binary.toString(),
                    "--name=gatehouse-e2e",
                    "--data-dir=" + data,
                    "--listen-client-urls=" + client,
                    "--advertise-client-urls=" + client,
                    "--listen-peer-urls=" + peer,
                    "--initial-advertise-peer-urls=" + peer,
                    "--initial-cluster=gatehouse-e2e=" + peer,
                    "--initial-cluster-state=new",
                    "--quota-backend-bytes=1073741824",
                    "--logger=zap",
                    "--log-outputs=stderr"),
                    workDir.resolve("etcd-" + attempt + ".log"), lifetime,
                    Map.of("GOMAXPROCS", "2"));
        }

        private void awaitEtcd(HttpClient http, ManagedProcess etcd, int port) {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                checkAlive(etcd);
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("true")) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                sleep(200);
            }
            throw new IllegalStateException("etcd not healthy within " + startupTimeout + " (last: " + last + ")\n"
                    + etcd + ":\n" + etcd.logTail(40));
        }

        private void awaitReady(HttpClient http, ManagedProcess apiServer, URI url, String token) {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                checkAlive(apiServer);
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/readyz"))
                                    .timeout(Duration.ofSeconds(5))
                                    .header("Authorization", "Bearer " + token).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                sleep(300);
            }
            throw new IllegalStateException("kube-apiserver not ready within " + startupTimeout + " (last /readyz: "
                    + last + ")\n" + apiServer + ":\n" + apiServer.logTail(60));
        }

        private static void checkAlive(ManagedProcess process) {
            if (!process.isAlive()) {
                String tail = process.logTail(60);
                if (tail.contains("address already in use")) {
                    throw new PortInUse(process + " could not bind: " + tail);
                }
                throw new IllegalStateException(process + " exited during startup:\n" + tail);
            }
        }
    }

    /** A start attempt lost a race for a port; retried with new ports. */
    private static final class PortInUse extends RuntimeException {
        PortInUse(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Accessors

    /** The server's base URL, {@code https://127.0.0.1:<port>}. */
    public URI url() {
        return url;
    }

    /** File holding the PEM of the CA that signed the serving certificate. */
    public Path caFile() {
        return caFile;
    }

    /** PEM of the CA that signed the serving certificate. */
    public String caPem() {
        return ca.certificatePem();
    }

    /** The CA that signed the serving certificate (can issue more certificates). */
    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    /** Token of {@value #ADMIN_USER} (system:masters): for test setup only. */
    public String adminToken() {
        return adminToken;
    }

    /** Token of {@value #GATEWAY_USER}: no permissions but those granted by {@link #grantGatewayImpersonation()}. */
    public String gatewayToken() {
        return gatewayToken;
    }

    /** Token of a user added with {@link Builder#addUserToken(String, String...)}. */
    public String userToken(String user) {
        String token = userTokens.get(user);
        if (token == null) {
            throw new IllegalArgumentException("no token for user " + user);
        }
        return token;
    }

    /** The work dir with logs, certificates, etcd data and the audit log. */
    public Path workDir() {
        return workDir;
    }

    /** The kube-apiserver's own log file. */
    public Path apiServerLog() {
        return apiServer.log();
    }

    /** etcd's log file. */
    public Path etcdLog() {
        return etcd.log();
    }

    /** The audit log file (JSON lines, audit.k8s.io/v1 Event). */
    public Path auditLogFile() {
        return auditLog;
    }

    /** A client that trusts the server's CA (HTTP/1.1). */
    public HttpClient httpClient() {
        return http;
    }

    // ------------------------------------------------------------------------------------------------
    // Audit log

    /** Every audit event written so far, parsed (a partly written last line is left out). */
    public List<JsonNode> auditLog() {
        if (!Files.exists(auditLog)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(auditLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + auditLog, e);
        }
        List<JsonNode> events = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalStateException("audit log line " + (i + 1) + " is not JSON: " + line, e);
                }
            }
        }
        return events;
    }

    /** Audit events whose {@code impersonatedUser.username} is {@code user}. */
    public List<JsonNode> auditEventsByImpersonatedUser(String user) {
        return auditLog().stream().filter(impersonating(user)).toList();
    }

    /** Audit events whose {@code impersonatedUser.extra[key]} contains {@code value}. */
    public List<JsonNode> auditEventsWithExtra(String key, String value) {
        return auditLog().stream().filter(withImpersonatedExtra(key, value)).toList();
    }

    /** Audit events matching {@code filter}. */
    public List<JsonNode> auditEvents(Predicate<JsonNode> filter) {
        return auditLog().stream().filter(filter).toList();
    }

    /**
     * Waits (bounded) until an audit event matches and returns the first match; fails with the events
     * seen so far that involved impersonation otherwise.
     */
    public JsonNode awaitAuditEvent(Predicate<JsonNode> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> found = auditLog().stream().filter(filter).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                List<JsonNode> all = auditLog();
                String recent = all.subList(Math.max(0, all.size() - 10), all.size()).stream()
                        .map(JsonNode::toString).reduce("", (a, b) -> a + "\n  " + b);
                throw new AssertionError("no matching audit event within " + timeout + " in " + auditLog
                        + " (" + all.size() + " events; last ones:" + recent + ")");
            }
            sleep(100);
        }
    }

    /** Matches events whose authenticated user is {@code user}. */
    public static Predicate<JsonNode> byUser(String user) {
        return e -> user.equals(e.path("user").path("username").asText(null));
    }

    /** Matches events whose impersonated user is {@code user}. */
    public static Predicate<JsonNode> impersonating(String user) {
        return e -> user.equals(e.path("impersonatedUser").path("username").asText(null));
    }

    /** Matches events whose impersonated user carries extra {@code key} with {@code value}. */
    public static Predicate<JsonNode> withImpersonatedExtra(String key, String value) {
        return e -> {
            JsonNode values = e.path("impersonatedUser").path("extra").path(key);
            for (JsonNode v : values) {
                if (value.equals(v.asText())) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Matches events at stage ResponseComplete (one per finished request). */
    public static Predicate<JsonNode> completed() {
        return e -> "ResponseComplete".equals(e.path("stage").asText());
    }

    /** The texts of a JSON array (a user's groups, an extra's values), in order. */
    public static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // HTTP

    /** A response: status code and body. */
    public record Response(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /** Sends a request with {@code token} (may be null) and extra headers; body is JSON or null. */
    public Response request(String method, String path, String token, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder req = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        headers.forEach(req::header);
        if (jsonBody != null) {
            req.header("Content-Type", "application/json");
            req.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** GET with {@code token}. */
    public Response get(String path, String token) {
        return request("GET", path, token, null, Map.of());
    }

    /** GET with {@code token} and extra headers (e.g. {@code Impersonate-User}). */
    public Response get(String path, String token, Map<String, String> headers) {
        return request("GET", path, token, null, headers);
    }

    /** Creates an object with the admin token; an existing one (409) is left as it is. Returns the status. */
    public int create(String collectionPath, String json) {
        Response r = request("POST", collectionPath, adminToken, json, Map.of());
        if (r.status() != 201 && r.status() != 200 && r.status() != 409) {
            throw new IllegalStateException("POST " + collectionPath + " -> " + r.status() + ": " + r.body());
        }
        return r.status();
    }

    // ------------------------------------------------------------------------------------------------
    // Setup helpers (admin token)

    /** Creates namespace {@code name}. */
    public void createNamespace(String name) {
        create("/api/v1/namespaces", object("v1", "Namespace", name, null).toString());
    }

    /** Creates a pod (it stays Pending: no scheduler, no kubelet). */
    public void createPod(String namespace, String name) {
        ObjectNode pod = object("v1", "Pod", name, namespace);
        ObjectNode container = pod.putObject("spec").putArray("containers").addObject();
        container.put("name", "app");
        container.put("image", "registry.invalid/gatehouse/app:1");
        create("/api/v1/namespaces/" + namespace + "/pods", pod.toString());
    }

    /**
     * Lets {@value #GATEWAY_USER} impersonate users, groups, service accounts (the apiserver checks
     * {@code impersonate} on {@code serviceaccounts} for a user named {@code system:serviceaccount:<ns>:<name>}), uids
     * and user extras, and nothing else:
     * ClusterRole {@value #IMPERSONATOR_CLUSTER_ROLE} and a ClusterRoleBinding of the same name.
     */
    public void grantGatewayImpersonation() {
        ObjectNode role = object("rbac.authorization.k8s.io/v1", "ClusterRole", IMPERSONATOR_CLUSTER_ROLE, null);
        var rules = role.putArray("rules");
        rule(rules.addObject(), "", List.of("users", "groups", "serviceaccounts"), List.of("impersonate"));
        // RBAC has no "userextras/*" wildcard (a rule resource matches only exactly, "*", or "*/<sub>"), and
        // the combined resource is "userextras/<key>" with a key that may itself hold '/'. Impersonate on
        // every resource of authentication.k8s.io covers uids and userextras/<any key>; impersonate means
        // nothing for the group's other resources.
        rule(rules.addObject(), "authentication.k8s.io", List.of("*"), List.of("impersonate"));
        create("/apis/rbac.authorization.k8s.io/v1/clusterroles", role.toString());

        ObjectNode binding = object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", IMPERSONATOR_CLUSTER_ROLE, null);
        roleRef(binding, "ClusterRole", IMPERSONATOR_CLUSTER_ROLE);
        subject(binding, GATEWAY_USER);
        create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", binding.toString());
    }

    /** Lets {@code user} get, list and watch pods in {@code namespace} only (Role + RoleBinding "pod-reader-<user>"). */
    public void grantPodReader(String user, String namespace) {
        String name = "pod-reader-" + user;
        ObjectNode role = object("rbac.authorization.k8s.io/v1", "Role", name, namespace);
        rule(role.putArray("rules").addObject(), "", List.of("pods"), List.of("get", "list", "watch"));
        create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles", role.toString());

        ObjectNode binding = object("rbac.authorization.k8s.io/v1", "RoleBinding", name, namespace);
        roleRef(binding, "Role", name);
        subject(binding, user);
        create("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/rolebindings", binding.toString());
    }

    /**
     * The standard fixture: gateway impersonation RBAC; namespaces {@value #TEAM_A} (pods a-1, a-2) and
     * {@value #TEAM_B} (pod b-1); {@value #ALICE} may read pods in {@value #TEAM_A} only. Idempotent.
     */
    public void setUpTeams() {
        grantGatewayImpersonation();
        createNamespace(TEAM_A);
        createNamespace(TEAM_B);
        createPod(TEAM_A, "a-1");
        createPod(TEAM_A, "a-2");
        createPod(TEAM_B, "b-1");
        grantPodReader(ALICE, TEAM_A);
    }

    private static ObjectNode object(String apiVersion, String kind, String name, String namespace) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        return o;
    }

    private static void rule(ObjectNode rule, String apiGroup, List<String> resources, List<String> verbs) {
        rule.putArray("apiGroups").add(apiGroup);
        resources.forEach(rule.putArray("resources")::add);
        verbs.forEach(rule.putArray("verbs")::add);
    }

    private static void roleRef(ObjectNode binding, String kind, String name) {
        ObjectNode ref = binding.putObject("roleRef");
        ref.put("apiGroup", "rbac.authorization.k8s.io");
        ref.put("kind", kind);
        ref.put("name", name);
    }

    private static void subject(ObjectNode binding, String user) {
        ObjectNode s = binding.putArray("subjects").addObject();
        s.put("apiGroup", "rbac.authorization.k8s.io");
        s.put("kind", "User");
        s.put("name", user);
    }

    // ------------------------------------------------------------------------------------------------
    // kubeconfig

    /**
     * A kubeconfig for this server with {@code token}, impersonating {@code as} (null: nobody) with the
     * given user extras ({@code as-user-extra}, which kubectl has no flag for).
     */
    public Kubeconfig kubeconfig(String token, String as, Map<String, List<String>> asUserExtra) {
        return new Kubeconfig(url.toString(), caPem(), token, null, null, as, asUserExtra);
    }

    /**
     * How this suite runs kubectl: {@code timeout} per command (then its process tree is killed), kubectl's
     * {@code --request-timeout=20s}, and a started command ({@code get -w}) ended after {@code timeout} at the latest.
     */
    static Kubectl.Options kubectlOptions(Duration timeout) {
        return new Kubectl.Options(timeout, Duration.ofSeconds(20), timeout);
    }

    // ------------------------------------------------------------------------------------------------
    // Stopping

    /** Stops kube-apiserver, then etcd (process trees, by pid), and deletes the work dir unless kept. */
    @Override
    public void close() {
        try {
            apiServer.close();
        } finally {
            etcd.close();
            if (!keepWorkDir) {
                deleteTree(workDir);
            }
        }
    }

    @Override
    public String toString() {
        return "RealApiServer[" + url + ", " + apiServer + ", " + etcd + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Utilities

    /** PEM of a private key in PKCS#8 ("BEGIN PRIVATE KEY"), which Go, OpenSSL and Netty all read. */
    public static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static HttpClient httpClient(Path caFile) {
        try {
            return HttpClient.newBuilder().sslContext(PemTrust.sslContext(caFile)).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caFile, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RealApiServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, String content, boolean secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            if (secret) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
