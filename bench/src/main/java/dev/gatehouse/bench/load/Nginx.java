package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The two nginx instances of a run, each its own master with two workers: the upstream, which answers the
 * pods path with the fixed body over TLS (HTTP/1.1 and h2) and serves large pod logs for the streaming
 * checks, one of them rate-limited, and the bench OIDC issuer's static metadata; and the reverse proxy, which checks the same static bearer token as the
 * gateway and forwards over TLS with keep-alive upstream connections and no response buffering.
 */
final class Nginx {
    /** Pod names whose log the upstream serves from {@code www/logs/<name>.log}. */
    static final String LOG_PATH = Fixture.PODS_PATH + "/%s/log";
    /** Bytes per second the upstream sends the {@code slow} pod's log at. */
    static final long SLOW_RATE = 8L << 20;

    private Nginx() {
    }

    static Child upstream(Fixture fixture, int port, Duration limit) throws IOException {
        String server = """
                  server {
                    listen 127.0.0.1:%1$d ssl http2;
                    ssl_certificate %2$s; ssl_certificate_key %3$s;
                    location = %4$s { default_type application/json; alias %5$s/www%4$s; }
                    location ~ ^%4$s/([a-z]+)/log$ { default_type text/plain; alias %5$s/www/logs/$1.log; }
                    location = %4$s/slow/log { default_type text/plain; alias %5$s/www/logs/slow.log; limit_rate %6$d; }
                    location %7$s/ { default_type application/json; alias %5$s/www%7$s/; }
                  }
                """.formatted(port, fixture.upstreamTls.certificate(), fixture.upstreamTls.privateKey(),
                Fixture.PODS_PATH, fixture.dir, SLOW_RATE, Fixture.IdentityProvider.PATH);
        return start(fixture, "nginx-upstream", server, port, limit);
    }

    static Child reverseProxy(Fixture fixture, int port, int upstreamPort, Duration limit) throws IOException {
        String server = """
                  upstream kube { server 127.0.0.1:%1$d; keepalive 128; keepalive_requests 1000000000; }
                  server {
                    listen 127.0.0.1:%2$d ssl http2;
                    ssl_certificate %3$s; ssl_certificate_key %4$s;
                    location / {
                      if ($http_authorization != "Bearer %5$s") { return 401; }
                      proxy_pass https://kube;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Authorization "Bearer %6$s";
                      proxy_set_header Impersonate-User "bench-user";
                      proxy_buffering off;
                      proxy_request_buffering off;
                      proxy_ssl_verify on;
                      proxy_ssl_trusted_certificate %7$s;
                      proxy_ssl_name localhost;
                      proxy_ssl_session_reuse on;
                    }
                  }
                """.formatted(upstreamPort, port, fixture.proxyTls.certificate(), fixture.proxyTls.privateKey(),
                Fixture.CLIENT_TOKEN, Fixture.UPSTREAM_TOKEN, fixture.upstreamTls.ca());
        return start(fixture, "nginx-proxy", server, port, limit);
    }

    private static Child start(Fixture fixture, String name, String server, int port, Duration limit)
            throws IOException {
        Path temp = fixture.dir.resolve(name + "-tmp");
        Files.createDirectories(temp);
        boolean root = "root".equals(System.getProperty("user.name"));
        String conf = """
                %1$s
                worker_processes 2;
                pid %2$s/%3$s.pid;
                error_log %2$s/%3$s-error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  keepalive_requests 1000000000;
                  keepalive_timeout 300s;
                  open_file_cache max=64;
                  ssl_protocols TLSv1.2 TLSv1.3;
                  client_body_temp_path %4$s/body; proxy_temp_path %4$s/proxy; fastcgi_temp_path %4$s/fastcgi;
                  uwsgi_temp_path %4$s/uwsgi; scgi_temp_path %4$s/scgi;
                %5$s}
                """.formatted(root ? "user root;" : "", fixture.dir, name, temp, server);
        Path file = fixture.dir.resolve(name + ".conf");
        Files.writeString(file, conf);
        Child child = Child.start(name, List.of("nginx", "-p", fixture.dir.toString(), "-c", file.toString(),
                "-e", fixture.dir.resolve(name + "-error.log").toString(), "-g", "daemon off;"),
                fixture.dir.resolve(name + ".out"), limit);
        return child.awaitPort(port, Duration.ofSeconds(10));
    }

    /** The nginx version line, for the report. */
    static String version() {
        return Tools.firstLine(List.of("nginx", "-v"));
    }
}
