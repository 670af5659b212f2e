package dev.gatehouse.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.chain.RequestHead;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.status.GatewayException;
import dev.gatehouse.status.KubeStatus;

/**
 * Which cluster a request is for, and the path that cluster sees. In order:
 * <ol>
 * <li>{@code /clusters/<name>/<path>} on any host: cluster {@code name}, path {@code /<path>};</li>
 * <li>a request whose host (its {@code Host} or {@code :authority}, lower-cased, without port and without one
 * trailing dot) is one of a cluster's {@code hostNames}: that cluster, the whole path; when the host is an IP
 * address (a client that dialled an address and named the cluster only in TLS, such as kubectl with
 * {@code tls-server-name}) or absent, the TLS server name (SNI) decides instead;</li>
 * <li>else the {@code defaultCluster}, the whole path;</li>
 * <li>else 404.</li>
 * </ol>
 * Refused before any of that, each with a Status: more than one {@code Host}, an HTTP/2 {@code Host} that differs
 * from {@code :authority}, a host that is not a host name or IP address with an optional port (400), a request
 * target that is not a path (absolute form, 400), and a request whose host and SNI differ when either names a
 * cluster (421 Misdirected Request, RFC 9110 §15.5.20): the connection was made for one name and the request asks
 * for another, which a client reusing an HTTP/2 connection across names (RFC 9113 §9.1.1) should retry on a
 * connection of its own, and which otherwise is a forged {@code Host}.
 */
public final class ClusterRoutes {
    private static final String PREFIX = "/clusters/";

    private final Set<String> clusters;
    private final Map<String, String> byHost;
    private final String defaultCluster;

    /**
     * @param clusters       the configured clusters' names
     * @param byHost         lower-case host name to cluster name
     * @param defaultCluster the cluster served at the root, or null
     */
    public ClusterRoutes(Set<String> clusters, Map<String, String> byHost, String defaultCluster) {
        this.clusters = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(clusters));
        this.byHost = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byHost));
        this.defaultCluster = defaultCluster;
        if (defaultCluster != null && !this.clusters.contains(defaultCluster)) {
            throw new IllegalArgumentException("default cluster " + defaultCluster + " is not one of " + clusters);
        }
        this.byHost.forEach((host, cluster) -> {
            if (!this.clusters.contains(cluster)) {
                throw new IllegalArgumentException("host " + host + " names unknown cluster " + cluster);
            }
        });
    }

    /** Clusters at {@code /clusters/<name>} only. */
    public static ClusterRoutes pathsOnly(Set<String> clusters) {
        return new ClusterRoutes(clusters, Map.of(), null);
    }

    /** The routes {@code config} asks for: its clusters, their {@code hostNames} and its {@code defaultCluster}. */
    public static ClusterRoutes of(GatehouseConfig config) {
        Set<String> names = new java.util.LinkedHashSet<>();
        Map<String, String> hosts = new LinkedHashMap<>();
        for (GatehouseConfig.ClusterConfig c : config.clusters()) {
            names.add(c.name());
            c.hostNames().forEach(h -> hosts.put(h.toLowerCase(Locale.ROOT), c.name()));
        }
        return new ClusterRoutes(names, hosts, config.defaultCluster());
    }

    public Set<String> clusters() {
        return clusters;
    }

    /** The cluster served at the root path, or null. */
    public String defaultCluster() {
        return defaultCluster;
    }

    /** The host names of {@code cluster}, in the configured order. */
    public List<String> hostNames(String cluster) {
        return byHost.entrySet().stream().filter(e -> e.getValue().equals(cluster)).map(Map.Entry::getKey).toList();
    }

    /** True when some cluster has a host name (else only paths and the default cluster route). */
    public boolean hasHostNames() {
        return !byHost.isEmpty();
    }

    /**
     * Each cluster's best URL for a client that reached the gateway at {@code authority} ({@code host[:port]} of
     * the request): {@code https://<its first host name>[:port]} when it has host names, the gateway's root when it
     * is the default cluster, else {@code https://<authority>/clusters/<name>}. These are the URLs with which
     * {@code kubectl get --raw /...} and other absolute-path clients reach the cluster. Empty when
     * {@code authority} is missing or not a host with an optional port.
     */
    public Map<String, String> serverUrls(String authority) {
        if (authority == null || authority.isEmpty()) {
            return Map.of();
        }
        try {
            normalize(authority);
        } catch (GatewayException notAnAuthority) {
            return Map.of();
        }
        int colon = authority.lastIndexOf(':');
        String port = colon > authority.lastIndexOf(']') ? authority.substring(colon) : "";
        String base = "https://" + authority.toLowerCase(Locale.ROOT);
        Map<String, String> urls = new LinkedHashMap<>();
        for (String cluster : clusters) {
            List<String> hosts = hostNames(cluster);
            urls.put(cluster, !hosts.isEmpty() ? "https://" + hosts.get(0) + port
                    : cluster.equals(defaultCluster) ? base
                    : base + PREFIX + cluster);
        }
        return urls;
    }

    /** Where a request goes: the cluster and the path it sees. */
    public record Route(String cluster, String path) {
    }

    /**
     * The cluster {@code head} is addressed to by name (its host, or its SNI when the host is an IP address or
     * absent), or null when it names none; throws the refusal a request with this addressing gets.
     */
    public String namedCluster(RequestHead head) {
        if (!head.originForm()) {
            throw GatewayException.badRequest("the request target must be a path (origin form): absolute-form and "
                    + "asterisk-form targets are not accepted");
        }
        String host = host(head);
        String sni = head.serverName() == null || head.serverName().isEmpty() ? null
                : stripDot(head.serverName().toLowerCase(Locale.ROOT));
        String hostCluster = host == null ? null : byHost.get(host);
        String sniCluster = sni == null ? null : byHost.get(sni);
        boolean hostIsAddress = host == null || isIpLiteral(host);
        if (sni != null && !hostIsAddress && !sni.equals(host) && (hostCluster != null || sniCluster != null)) {
            throw new GatewayException(KubeStatus.of(421, "misdirected request: the TLS connection was made for "
                    + sni + " but the request names host " + host + "; open a connection for " + host));
        }
        if (hostCluster != null) {
            return hostCluster;
        }
        return hostIsAddress ? sniCluster : null;
    }

    /** Routes {@code head} (see the class comment); the path is checked by {@link PathGuard} first. */
    public Route route(RequestHead head) {
        String named = namedCluster(head);
        String raw = PathGuard.check(head.rawPath());
        if (raw.startsWith(PREFIX)) {
            int slash = raw.indexOf('/', PREFIX.length());
            String cluster = slash < 0 ? raw.substring(PREFIX.length()) : raw.substring(PREFIX.length(), slash);
            return new Route(cluster, slash < 0 ? "/" : raw.substring(slash));
        }
        if (named != null) {
            return new Route(named, raw);
        }
        if (defaultCluster != null) {
            return new Route(defaultCluster, raw);
        }
        return null;
    }

    /**
     * The request's host, lower-case, without port and one trailing dot; null when the request carries none
     * (HTTP/1.0). IPv6 literals keep their brackets.
     */
    static String host(RequestHead head) {
        List<String> hosts = head.headers().getAll("Host");
        String authority;
        if (head.http2() && head.authority() != null) {
            for (String h : hosts) {
                if (!ows(h).equalsIgnoreCase(head.authority())) {
                    throw GatewayException.badRequest("the Host header " + PathGuard.printable(h)
                            + " differs from the request's :authority " + PathGuard.printable(head.authority()));
                }
            }
            authority = head.authority();
        } else {
            if (hosts.size() > 1) {
                throw GatewayException.badRequest("more than one Host header: " + hosts.size());
            }
            authority = hosts.isEmpty() ? null : ows(hosts.get(0));
        }
        if (authority == null) {
            return null;
        }
        return normalize(authority);
    }

    /** Without leading and trailing spaces and tabs (HTTP's optional whitespace), nothing else. */
    private static String ows(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return value.substring(start, end);
    }

    /** {@code host[:port]} or {@code [v6][:port]} to the lower-case host; 400 for anything else. */
    static String normalize(String authority) {
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw badHost(authority);
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw badHost(authority);
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
            if (!host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+")) {
                throw badHost(authority);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
            if (port.isEmpty() && colon >= 0) {
                throw badHost(authority);
            }
        }
        if (!port.isEmpty() && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) <= 65535)) {
            throw badHost(authority);
        }
        if (!host.startsWith("[")) {
            if (host.isEmpty() || !host.matches("[A-Za-z0-9.-]+") || host.startsWith(".") || host.contains("..")) {
                throw badHost(authority);
            }
        }
        return stripDot(host.toLowerCase(Locale.ROOT));
    }

    private static GatewayException badHost(String authority) {
        return GatewayException.badRequest("the request's host " + PathGuard.printable(authority)
                + " is not a host name or IP address with an optional port");
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    static boolean isIpLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }
}
