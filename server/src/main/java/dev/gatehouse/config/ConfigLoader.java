package dev.gatehouse.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.gatehouse.authn.oidc.OidcIssuerConfig;
import dev.gatehouse.authn.oidc.OidcIssuerKind;

/**
 * Reads {@code gatehouse.yaml}. Strict: unknown keys, wrong types and missing settings are errors naming the
 * key ({@code clusters[1].server: ...}). Relative paths are resolved against the config file's directory.
 */
public final class ConfigLoader {
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> MODES = Set.of("impersonate", "issued-token");

    private ConfigLoader() {
    }

    public static GatehouseConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping at the top level");
        }
        try {
            return read(new ConfigNode(root, "", file.toAbsolutePath().getParent()));
        } catch (IllegalArgumentException e) {
            // validation inside a concern's own record (e.g. an OIDC issuer) names its key too
            throw new ConfigException(e.getMessage());
        }
    }

    static GatehouseConfig read(ConfigNode root) {
        root.allow("listen", "dataDir", "maxStreamDuration", "upstreamTimeout", "authentication", "issuer", "login",
                "audit", "clusters", "defaultCluster", "policy", "reviews", "store", "masking", "evidence");
        ConfigNode listen = root.child("listen").allow("address", "port", "certFile", "keyFile");
        if (!listen.present()) {
            throw new ConfigException("listen: expected a mapping");
        }
        int port = listen.integer("port", 8443);
        if (port < 0 || port > 65535) {
            throw new ConfigException("listen.port: " + port + " (expected: 1..65535, or 0 for any free port)");
        }
        GatehouseConfig.ListenConfig listenConfig = new GatehouseConfig.ListenConfig(listen.text("address", "0.0.0.0"),
                port, listen.requiredPath("certFile"), listen.requiredPath("keyFile"));
        List<GatehouseConfig.ClusterConfig> clusters = clusters(root);
        GatehouseConfig.AuthenticationConfig authn = authentication(root.child("authentication"), clusters);
        GatehouseConfig.IssuerConfig issuer = issuer(root.child("issuer"));
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i).credentialMode().equals("issued-token") && issuer == null) {
                throw new ConfigException("clusters[" + i + "].credentialMode: issued-token needs issuer.url");
            }
        }
        String defaultCluster = root.text("defaultCluster", null);
        if (defaultCluster != null && clusters.stream().noneMatch(c -> c.name().equals(defaultCluster))) {
            throw new ConfigException("defaultCluster: \"" + defaultCluster + "\" (expected: one of "
                    + clusters.stream().map(GatehouseConfig.ClusterConfig::name).toList() + ")");
        }
        Path dataDir = root.path("dataDir");
        return new GatehouseConfig(listenConfig, dataDir == null ? root.base().resolve("data") : dataDir, root.duration("maxStreamDuration", Duration.ofHours(4)),
                root.duration("upstreamTimeout", Duration.ofSeconds(60)), authn, issuer,
                login(root.child("login"), authn), audit(root.child("audit")), clusters, defaultCluster,
                policy(root.child("policy")), reviews(root.child("reviews")),
                StoreConfigReader.read(root.child("store")), MaskingConfigReader.read(root.child("masking")),
                EvidenceConfigReader.read(root.child("evidence")));
    }

    private static List<GatehouseConfig.ClusterConfig> clusters(ConfigNode root) {
        List<ConfigNode> nodes = root.children("clusters");
        if (nodes.isEmpty()) {
            throw new ConfigException("clusters: expected a non-empty list of clusters");
        }
        List<GatehouseConfig.ClusterConfig> clusters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        java.util.Map<String, String> hostOwners = new java.util.HashMap<>();
        for (ConfigNode node : nodes) {
            GatehouseConfig.ClusterConfig c = cluster(node);
            if (!names.add(c.name())) {
                throw new ConfigException(node.key("name") + ": \"" + c.name() + "\" is used twice");
            }
            for (String host : c.hostNames()) {
                String owner = hostOwners.putIfAbsent(host, c.name());
                if (owner != null) {
                    throw new ConfigException(node.key("hostNames") + ": \"" + host + "\" is already a host name of "
                            + (owner.equals(c.name()) ? "this cluster" : "cluster " + owner)
                            + " (expected: each host name routes to one cluster)");
                }
            }
            clusters.add(c);
        }
        return clusters;
    }

    private static GatehouseConfig.ClusterConfig cluster(ConfigNode node) {
        if (!node.present()) {
            throw new ConfigException(node.key("").replaceAll("\\.$", "") + ": expected a mapping");
        }
        node.allow("name", "kubeconfig", "context", "server", "caFile", "tokenFile", "clientCertFile",
                "clientKeyFile", "credentialMode", "audience", "hostNames");
        String name = node.text("name", null);
        if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
            throw new ConfigException(node.key("name") + ": " + (name == null ? "missing" : "\"" + name + "\"")
                    + " (expected: a DNS label, lower-case letters, digits and '-')");
        }
        String mode = node.text("credentialMode", "impersonate");
        if (!MODES.contains(mode)) {
            throw new ConfigException(node.key("credentialMode") + ": \"" + mode + "\" (expected: one of " + MODES + ")");
        }
        Path kubeconfig = node.path("kubeconfig");
        String server = node.text("server", null);
        if ((kubeconfig == null) == (server == null)) {
            throw new ConfigException(node.key("kubeconfig") + " and " + node.key("server")
                    + ": exactly one must be set");
        }
        Path ca = node.path("caFile");
        Path token = node.path("tokenFile");
        Path cert = node.path("clientCertFile");
        Path key = node.path("clientKeyFile");
        if (server != null) {
            if (!server.startsWith("https://")) {
                throw new ConfigException(node.key("server") + ": \"" + server + "\" (expected: an https:// URL)");
            }
            if (ca == null) {
                throw new ConfigException(node.key("caFile") + ": required with " + node.key("server")
                        + " (the cluster's CA is pinned)");
            }
            if ((token == null) == (cert == null)) {
                throw new ConfigException(node.key("tokenFile") + " or " + node.key("clientCertFile")
                        + ": exactly one must be set");
            }
            if ((cert == null) != (key == null)) {
                throw new ConfigException(node.key("clientCertFile") + " and " + node.key("clientKeyFile")
                        + " must be set together");
            }
        }
        List<String> hostNames = node.strings("hostNames");
        for (String host : hostNames) {
            String problem = HostNames.problem(host);
            if (problem != null) {
                throw new ConfigException(node.key("hostNames") + ": \"" + host + "\" " + problem);
            }
        }
        return new GatehouseConfig.ClusterConfig(name, kubeconfig, node.text("context", null), server, ca, token,
                cert, key, mode, node.text("audience", null), hostNames);
    }

    private static GatehouseConfig.AuthenticationConfig authentication(ConfigNode node,
                                                                       List<GatehouseConfig.ClusterConfig> clusters) {
        if (!node.present()) {
            throw new ConfigException("authentication: expected a mapping");
        }
        node.allow("staticTokenFile", "oidc", "serviceAccounts", "tokenCache");
        List<OidcIssuerConfig> oidc = new ArrayList<>();
        for (ConfigNode issuer : node.children("oidc")) {
            oidc.add(oidcIssuer(issuer));
        }
        OidcIssuerConfig.checkDistinct(oidc);
        Set<String> clusterNames = new LinkedHashSet<>();
        clusters.forEach(c -> clusterNames.add(c.name()));
        List<GatehouseConfig.ServiceAccountSource> serviceAccounts = new ArrayList<>();
        for (ConfigNode sa : node.children("serviceAccounts")) {
            sa.allow("cluster", "audiences", "issuers", "usernamePrefix", "cacheTtl");
            String cluster = sa.requiredText("cluster");
            if (!clusterNames.contains(cluster)) {
                throw new ConfigException(sa.key("cluster") + ": \"" + cluster + "\" (expected: one of "
                        + clusterNames + ")");
            }
            serviceAccounts.add(new GatehouseConfig.ServiceAccountSource(sa.key("").replaceAll("\\.$", ""), cluster,
                    sa.strings("audiences"), sa.strings("issuers"), sa.text("usernamePrefix", ""),
                    sa.duration("cacheTtl", Duration.ofSeconds(10))));
        }
        ConfigNode cache = node.child("tokenCache").allow("maxEntries", "maxAge");
        int entries = cache.integer("maxEntries", 10_000);
        if (entries < 0) {
            throw new ConfigException(cache.key("maxEntries") + ": " + entries + " (expected: >= 0)");
        }
        Path staticTokens = node.path("staticTokenFile");
        if (staticTokens == null && oidc.isEmpty() && serviceAccounts.isEmpty()) {
            throw new ConfigException("authentication: no authentication method configured "
                    + "(expected: staticTokenFile, oidc or serviceAccounts)");
        }
        return new GatehouseConfig.AuthenticationConfig(staticTokens, oidc, serviceAccounts, entries,
                cache.duration("maxAge", Duration.ofMinutes(5)));
    }

    private static OidcIssuerConfig oidcIssuer(ConfigNode n) {
        n.allow("kind", "issuerUrl", "audiences", "usernameClaim", "usernamePrefix", "uidClaim", "groupsClaim",
                "groupsPrefix", "requiredClaims", "attributeClaims", "allowedAlgorithms", "clockSkew", "caFile");
        OidcIssuerConfig.Builder b = OidcIssuerConfig.builder(n.key("").replaceAll("\\.$", ""));
        String kind = n.text("kind", "people");
        try {
            b.kind(OidcIssuerKind.valueOf(kind.toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(n.key("kind") + ": \"" + kind
                    + "\" (expected: people, github-actions or gitlab-ci)");
        }
        b.issuerUrl(n.requiredText("issuerUrl")).audiences(n.strings("audiences"));
        if (n.has("usernameClaim")) {
            b.usernameClaim(n.text("usernameClaim", null));
        }
        if (n.has("usernamePrefix")) {
            b.usernamePrefix(n.text("usernamePrefix", null));
        }
        if (n.has("uidClaim")) {
            b.uidClaim(n.text("uidClaim", null));
        }
        if (n.has("groupsClaim")) {
            b.groupsClaim(n.text("groupsClaim", null));
        }
        if (n.has("groupsPrefix")) {
            b.groupsPrefix(n.text("groupsPrefix", null));
        }
        b.requiredClaims(n.stringMap("requiredClaims")).attributeClaims(n.stringMap("attributeClaims"));
        if (n.has("allowedAlgorithms")) {
            b.allowedAlgorithms(new LinkedHashSet<>(n.strings("allowedAlgorithms")));
        }
        if (n.has("clockSkew")) {
            b.clockSkew(n.duration("clockSkew", null));
        }
        if (n.has("caFile")) {
            b.caFile(n.path("caFile"));
        }
        return b.build();
    }

    private static GatehouseConfig.IssuerConfig issuer(ConfigNode node) {
        if (!node.present()) {
            return null;
        }
        node.allow("url", "delegationMaxLifetime", "issuedTokenLifetime");
        String url = node.requiredText("url");
        if (!url.startsWith("https://") || url.endsWith("/")) {
            throw new ConfigException(node.key("url") + ": \"" + url + "\" (expected: an https URL without a trailing /)");
        }
        Duration issued = node.duration("issuedTokenLifetime", Duration.ofSeconds(30));
        if (issued.compareTo(Duration.ofSeconds(5)) < 0 || issued.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException(node.key("issuedTokenLifetime") + ": " + issued + " (expected: 5s to 5m)");
        }
        return new GatehouseConfig.IssuerConfig(url, node.duration("delegationMaxLifetime", Duration.ofMinutes(5)),
                issued);
    }

    private static GatehouseConfig.LoginConfig login(ConfigNode node, GatehouseConfig.AuthenticationConfig authn) {
        if (!node.present()) {
            return null;
        }
        node.allow("issuerUrl", "clientId", "scopes");
        String issuerUrl = node.requiredText("issuerUrl");
        if (authn.oidc().stream().noneMatch(o -> o.issuerUrl().equals(issuerUrl))) {
            throw new ConfigException(node.key("issuerUrl") + ": \"" + issuerUrl
                    + "\" (expected: the issuerUrl of one of authentication.oidc[])");
        }
        List<String> scopes = node.strings("scopes");
        return new GatehouseConfig.LoginConfig(issuerUrl, node.requiredText("clientId"),
                scopes.isEmpty() ? List.of("openid", "profile", "email", "groups", "offline_access") : scopes);
    }

    private static GatehouseConfig.AuditConfig audit(ConfigNode node) {
        if (!node.present()) {
            return GatehouseConfig.AuditConfig.defaults();
        }
        node.allow("verifyInterval", "retention", "exporters", "readers", "keyAdmins", "sessions");
        GatehouseConfig.ReadersConfig readers = principals(node.child("readers"));
        GatehouseConfig.ReadersConfig keyAdmins = principals(node.child("keyAdmins"));
        GatehouseConfig.RetentionConfig retention = null;
        ConfigNode r = node.child("retention").allow("hot", "keep", "archiveDir");
        if (r.present()) {
            retention = new GatehouseConfig.RetentionConfig(r.duration("hot", Duration.ofDays(90)),
                    r.duration("keep", Duration.ofDays(365)), r.path("archiveDir"));
            if (retention.keep().compareTo(retention.hot()) < 0) {
                throw new ConfigException(r.key("keep") + ": " + retention.keep() + " (expected: >= hot "
                        + retention.hot() + ")");
            }
        }
        List<GatehouseConfig.ExporterConfig> exporters = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode e : node.children("exporters")) {
            e.allow("name", "type", "shape", "directory", "maxBytes", "keepFiles", "host", "port", "tls", "url",
                    "format", "tokenFile", "caFile", "bootstrapServers", "topic", "saslMechanism", "username",
                    "passwordFile");
            String name = e.requiredText("name");
            if (!CLUSTER_NAME.matcher(name).matches() || !names.add(name)) {
                throw new ConfigException(e.key("name") + ": \"" + name
                        + "\" (expected: a unique DNS label; it names the exporter's cursor)");
            }
            String type = e.requiredText("type");
            String shape = e.text("shape", "kubernetes");
            if (!Set.of("kubernetes", "ocsf").contains(shape)) {
                throw new ConfigException(e.key("shape") + ": \"" + shape + "\" (expected: kubernetes or ocsf)");
            }
            GatehouseConfig.KafkaExport kafka = null;
            switch (type) {
                case "file" -> e.requiredPath("directory");
                case "kafka" -> kafka = kafkaExport(e);
                case "syslog" -> e.requiredText("host");
                case "webhook" -> {
                    String format = e.text("format", "ndjson");
                    if (!Set.of("ndjson", "splunk-hec", "otlp").contains(format)) {
                        throw new ConfigException(e.key("format") + ": \"" + format
                                + "\" (expected: ndjson, splunk-hec or otlp)");
                    }
                    String url = e.requiredText("url");
                    if (!LoopbackHosts.httpsOrLoopback(url)) {
                        throw new ConfigException(e.key("url") + ": \"" + url
                                + "\" (expected: https, or http on loopback)");
                    }
                }
                default -> throw new ConfigException(e.key("type") + ": \"" + type
                        + "\" (expected: file, syslog, webhook or kafka)");
            }
            exporters.add(new GatehouseConfig.ExporterConfig(e.key("").replaceAll("\\.$", ""), name, type, shape,
                    e.path("directory"), e.integer("maxBytes", 64 << 20), e.integer("keepFiles", 10),
                    e.text("host", null), e.integer("port", 6514), Boolean.parseBoolean(e.text("tls", "true")),
                    e.text("url", null), e.text("format", "ndjson"), e.path("tokenFile"), e.path("caFile"), kafka));
        }
        return new GatehouseConfig.AuditConfig(node.duration("verifyInterval", Duration.ofMinutes(1)), retention,
                exporters, readers, keyAdmins, sessions(node.child("sessions")));
    }

    /** {@code audit.sessions}: moderators, idle timeout, the recording's size limit and what happens there. */
    private static GatehouseConfig.SessionsConfig sessions(ConfigNode node) {
        GatehouseConfig.SessionsConfig defaults = GatehouseConfig.SessionsConfig.defaults();
        if (!node.present()) {
            return defaults;
        }
        node.allow("moderators", "idleTimeout", "maxRecordingBytes", "atLimit", "recordPortForwardPayload");
        String atLimit = node.text("atLimit", defaults.atLimit());
        if (!Set.of("end", "metadata").contains(atLimit)) {
            throw new ConfigException(node.key("atLimit") + ": \"" + atLimit + "\" (expected: end or metadata)");
        }
        long max = node.integer("maxRecordingBytes", (int) Math.min(Integer.MAX_VALUE, defaults.maxRecordingBytes()));
        if (max < 4096) {
            throw new ConfigException(node.key("maxRecordingBytes") + ": " + max + " (expected: at least 4096)");
        }
        Duration idle = node.duration("idleTimeout", defaults.idleTimeout());
        if (idle.isNegative() || idle.isZero()) {
            throw new ConfigException(node.key("idleTimeout") + ": " + idle + " (expected: a positive duration)");
        }
        return new GatehouseConfig.SessionsConfig(principals(node.child("moderators")), idle, max, atLimit,
                Boolean.parseBoolean(node.text("recordPortForwardPayload", "false")));
    }

    private static GatehouseConfig.PolicyConfig policy(ConfigNode node) {
        GatehouseConfig.PolicyConfig defaults = GatehouseConfig.PolicyConfig.defaults();
        if (!node.present()) {
            return defaults;
        }
        node.allow("path", "reloadInterval");
        Path path = node.path("path");
        if (path != null && !Files.exists(path)) {
            throw new ConfigException(node.key("path") + ": " + path + " does not exist (expected: a policy file or a "
                    + "directory of them)");
        }
        return new GatehouseConfig.PolicyConfig(path, positive(node, "reloadInterval", defaults.reloadInterval()));
    }

    private static GatehouseConfig.ReviewsConfig reviews(ConfigNode node) {
        GatehouseConfig.ReviewsConfig defaults = GatehouseConfig.ReviewsConfig.defaults();
        if (!node.present()) {
            return defaults;
        }
        node.allow("holdTime", "pendingExpiry", "pollInterval", "grants", "notify");
        GatehouseConfig.GrantsConfig grants = GatehouseConfig.GrantsConfig.defaults();
        ConfigNode g = node.child("grants");
        if (g.present()) {
            g.allow("approvers", "approvals", "reasonRequired", "maxDuration");
            int approvals = g.integer("approvals", grants.approvals());
            if (approvals < 1) {
                throw new ConfigException(g.key("approvals") + ": " + approvals + " (expected: at least 1)");
            }
            grants = new GatehouseConfig.GrantsConfig(principals(g.child("approvers")), approvals,
                    Boolean.parseBoolean(g.text("reasonRequired", String.valueOf(grants.reasonRequired()))),
                    positive(g, "maxDuration", grants.maxDuration()));
        }
        List<GatehouseConfig.NotifyConfig> notify = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode n : node.children("notify")) {
            n.allow("name", "url", "format", "caFile", "headers", "events");
            String name = n.requiredText("name");
            java.net.URI url;
            try {
                url = WebhookUrls.validate(n.key("").substring(0, n.key("").length() - 1), name, n.requiredText("url"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            if (!names.add(name)) {
                throw new ConfigException(n.key("name") + ": \"" + name + "\" given twice (expected: unique names)");
            }
            String format = n.text("format", "json");
            if (!Set.of("slack", "json").contains(format)) {
                throw new ConfigException(n.key("format") + ": \"" + format + "\" (expected: slack or json)");
            }
            java.util.Map<String, Path> headers = new java.util.LinkedHashMap<>();
            ConfigNode h = n.child("headers");
            if (h.present()) {
                for (String header : h.fieldNames()) {
                    ConfigNode value = h.child(header).allow("file");
                    headers.put(header, value.requiredPath("file"));
                }
            }
            notify.add(new GatehouseConfig.NotifyConfig(name, url, format, n.path("caFile"),
                    headers, n.strings("events")));
        }
        return new GatehouseConfig.ReviewsConfig(positive(node, "holdTime", defaults.holdTime()),
                positive(node, "pendingExpiry", defaults.pendingExpiry()),
                positive(node, "pollInterval", defaults.pollInterval()), grants, notify);
    }

    private static Duration positive(ConfigNode node, String key, Duration fallback) {
        Duration d = node.duration(key, fallback);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(node.key(key) + ": " + d + " (expected: a positive duration)");
        }
        return d;
    }

    /** {@code {groups: [...], users: [...]}}: who is admitted to something (audit.readers, audit.keyAdmins). */
    private static GatehouseConfig.ReadersConfig principals(ConfigNode node) {
        node.allow("groups", "users");
        GatehouseConfig.ReadersConfig admitted = new GatehouseConfig.ReadersConfig(node.strings("groups"),
                node.strings("users"));
        for (String name : concat(admitted.groups(), admitted.users())) {
            if (name.isBlank()) {
                throw new ConfigException(node.key(admitted.groups().contains(name) ? "groups" : "users")
                        + ": an empty name (expected: user or group names as the authenticator reports them)");
            }
        }
        return admitted;
    }

    /**
     * A kafka exporter's brokers, topic and SASL. Without TLS ({@code tls: false}) every broker must be on
     * loopback, as for plain-HTTP webhooks: events are evidence and do not cross a network in clear.
     */
    private static GatehouseConfig.KafkaExport kafkaExport(ConfigNode e) {
        List<String> servers = e.strings("bootstrapServers");
        if (servers.isEmpty()) {
            throw new ConfigException(e.key("bootstrapServers") + ": missing (expected: a list of host:port)");
        }
        boolean tls = Boolean.parseBoolean(e.text("tls", "true"));
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            String host = colon > 0 ? server.substring(0, colon) : "";
            String port = colon > 0 ? server.substring(colon + 1) : "";
            if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535
                    || server.chars().anyMatch(c -> c <= ' ' || c == ',' || c == '/')) {
                throw new ConfigException(e.key("bootstrapServers") + ": \"" + server + "\" (expected: host:port)");
            }
            if (!tls && !LoopbackHosts.isLoopback(host)) {
                throw new ConfigException(e.key("tls") + ": false with broker \"" + server
                        + "\" (expected: TLS, or every broker on loopback)");
            }
        }
        String topic = e.requiredText("topic");
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
            throw new ConfigException(e.key("topic") + ": \"" + topic
                    + "\" (expected: a Kafka topic name: letters, digits, '.', '_', '-', at most 249)");
        }
        String mechanism = e.text("saslMechanism", null);
        if (mechanism != null) {
            if (!Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512").contains(mechanism)) {
                throw new ConfigException(e.key("saslMechanism") + ": \"" + mechanism
                        + "\" (expected: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)");
            }
            e.requiredText("username");
            e.requiredPath("passwordFile");
            if (mechanism.equals("PLAIN") && !tls) {
                throw new ConfigException(e.key("saslMechanism") + ": PLAIN without TLS would send the password "
                        + "in clear (expected: tls: true, or SCRAM)");
            }
        } else if (e.has("username") || e.has("passwordFile")) {
            throw new ConfigException(e.key("saslMechanism") + ": missing (username and passwordFile need it)");
        }
        return new GatehouseConfig.KafkaExport(servers, topic, mechanism, e.text("username", null),
                e.path("passwordFile"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
