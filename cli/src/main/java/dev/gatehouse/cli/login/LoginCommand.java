package dev.gatehouse.cli.login;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse login --server https://gatehouse.example.com --certificate-authority ca.crt}: asks the gateway
 * which IdP to use ({@code /.well-known/gatehouse/login}), signs in (browser with PKCE on a loopback redirect, or
 * {@code --device-code}), caches the tokens, and writes a kubeconfig context per cluster.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Sign in with the gateway's identity provider and write kubeconfig contexts for its clusters.")
public final class LoginCommand implements Callable<Integer> {
    static final String METADATA_PATH = dev.gatehouse.authn.oidc.LoginMetadataEndpoint.PATH;
    static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email", "offline_access");

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, description = "The gateway's URL, e.g. https://gatehouse.example.com")
    String server;

    @Option(names = "--certificate-authority", description = "PEM file of the gateway's CA; pinned in kubeconfig. "
            + "Without it the system's trusted roots are used.")
    Path gatewayCa;

    @Option(names = "--idp-certificate-authority", description = "PEM file of the identity provider's CA, if not publicly trusted")
    Path idpCa;

    @Option(names = "--cluster", description = "Cluster to add a context for (repeatable; default: every cluster the gateway names)")
    List<String> clusters = new ArrayList<>();

    @Option(names = "--device-code", description = "Use the device-code flow (headless machines)")
    boolean deviceCode;

    @Option(names = "--no-browser", description = "Print the sign-in URL instead of opening a browser")
    boolean noBrowser;

    @Option(names = "--port", description = "Loopback port for the sign-in redirect (default: any free port)")
    int port;

    @Option(names = "--timeout", description = "How long to wait for the sign-in, e.g. PT5M (with --device-code: "
            + "at most until the code expires)", defaultValue = "PT5M")
    Duration timeout;

    @Option(names = "--kubeconfig", description = "The kubeconfig to update (default: $KUBECONFIG or ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--exec-command", description = "How kubectl should run this tool (default: the launcher "
            + "that started this command, else gatehouse)", defaultValue = "${env:GATEHOUSE_LAUNCHER:-gatehouse}")
    String execCommand;

    /** Opens the sign-in URL; tests replace it with a scripted browser. */
    Consumer<String> browser;

    /** Also given the device-code instruction line; tests play the user with it. */
    Consumer<String> devicePrompt;

    /** The device flow's clock; tests may replace it. */
    DeviceFlow.Timer timer = DeviceFlow.Timer.SYSTEM;

    /** Where logins are cached; tests point it elsewhere. */
    TokenCache cache = TokenCache.defaultLocation();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(err);
            return 0;
        } catch (LoginException e) {
            err.println("gatehouse login: " + e.getMessage());
            return 1;
        }
    }

    private void run(PrintWriter err) {
        String gateway = checkedServer(server);
        JsonNode meta = OidcClient.getJson(Tls.client(gatewayCa), gateway + METADATA_PATH);
        String issuer = meta.path("issuer").asText("");
        String clientId = meta.path("client_id").asText("");
        if (issuer.isEmpty() || clientId.isEmpty()) {
            throw new LoginException("the gateway at " + gateway + " names no identity provider for login");
        }
        List<String> scopes = new ArrayList<>();
        meta.path("scopes").forEach(s -> scopes.add(s.asText()));
        HttpClient idpHttp = Tls.client(idpCa);
        OidcClient idp = OidcClient.discover(idpHttp, issuer, clientId);
        Tokens tokens = deviceCode ? idp.deviceFlow(scopes.isEmpty() ? DEFAULT_SCOPES : scopes, line -> {
                    err.println(line);
                    err.flush();
                    if (devicePrompt != null) {
                        devicePrompt.accept(line);
                    }
                }, timeout, timer)
                : codeFlow(idp, scopes.isEmpty() ? DEFAULT_SCOPES : scopes, err);
        cache.save(new TokenCache.Entry(gateway, issuer, clientId, tokens));

        List<String> names = new ArrayList<>(clusters);
        if (names.isEmpty()) {
            meta.path("clusters").forEach(c -> names.add(c.asText()));
        }
        java.util.Map<String, String> servers = new java.util.LinkedHashMap<>();
        meta.path("servers").properties().forEach(e -> servers.put(e.getKey(), e.getValue().asText("")));
        for (String name : names) {
            if (servers.containsKey(name) && !Kubeconfig.usableServer(servers.get(name))) {
                err.println("The gateway names an unusable URL for cluster " + name + " ("
                        + servers.get(name).replaceAll("[^\\x20-\\x7e]", "?") + "); writing " + gateway + "/clusters/"
                        + name + " instead.");
            }
        }
        Path file = kubeconfig != null ? kubeconfig : Kubeconfig.defaultPath();
        List<String> contexts = Kubeconfig.write(file, gateway, caPem(), names, servers,
                List.of(execCommand.split(" ")));
        err.println("Logged in to " + gateway + " via " + issuer + "; token valid until " + tokens.expiresAt() + ".");
        if (contexts.isEmpty()) {
            err.println("The gateway names no clusters; no kubeconfig context was written.");
        } else {
            err.println("kubeconfig " + file + ": contexts " + String.join(", ", contexts)
                    + " (kubectl --context " + contexts.get(0) + " get pods)");
        }
    }

    private Tokens codeFlow(OidcClient idp, List<String> scopes, PrintWriter err) {
        Pkce pkce = Pkce.generate();
        try (LoopbackReceiver receiver = new LoopbackReceiver(port)) {
            String url = idp.authorizationUrl(pkce, receiver.redirectUri(), scopes);
            Consumer<String> open = browser != null ? browser : u -> openBrowser(u, err);
            open.accept(url);
            String code = receiver.awaitCode(pkce.state(), timeout);
            return idp.redeemCode(code, pkce, receiver.redirectUri());
        }
    }

    private void openBrowser(String url, PrintWriter err) {
        err.println("Sign in at: " + url);
        err.flush();
        if (noBrowser) {
            return;
        }
        for (String opener : List.of("xdg-open", "open")) {
            try {
                new ProcessBuilder(opener, url).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return;
            } catch (IOException ignored) {
                // try the next opener; the URL is printed anyway
            }
        }
    }

    private String caPem() {
        if (gatewayCa == null) {
            return null;
        }
        try {
            return Files.readString(gatewayCa);
        } catch (IOException e) {
            throw new LoginException("cannot read " + gatewayCa + ": " + e.getMessage());
        }
    }

    /** https, or http on loopback (tests, a local demo without TLS is refused by kubectl anyway). */
    static String checkedServer(String server) {
        URI uri = URI.create(server);
        boolean loopback = uri.getHost() != null && (uri.getHost().equals("localhost") || uri.getHost().startsWith("127."));
        if (!("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
            throw new LoginException("--server " + server + ": expected an https URL");
        }
        return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    }
}
