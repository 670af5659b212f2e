package dev.gatehouse.cli.login;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse credential --server URL}: the client-go exec credential plugin. Prints an
 * {@code ExecCredential} ({@code client.authentication.k8s.io/v1}) with the cached ID token, refreshing it
 * silently when it has less than {@code --min-validity} seconds left. When no login or refresh is possible it
 * says to run {@code gatehouse login} and exits 1 (kubectl shows that line).
 */
@Command(name = "credential", mixinStandardHelpOptions = true,
        description = "Print a client-go ExecCredential for a gateway (used by kubectl through kubeconfig).")
public final class CredentialCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, description = "The gateway's URL, as given to gatehouse login")
    String server;

    @Option(names = "--idp-certificate-authority", description = "PEM file of the identity provider's CA, if not publicly trusted")
    Path idpCa;

    @Option(names = "--min-validity", defaultValue = "60", description = "Refresh when fewer seconds are left (default 60)")
    long minValidity;

    /** Where logins are cached; tests point it elsewhere. */
    TokenCache cache = TokenCache.defaultLocation();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            String gateway = LoginCommand.checkedServer(server);
            Tokens tokens = current(gateway);
            ObjectNode cred = JSON.createObjectNode();
            cred.put("apiVersion", "client.authentication.k8s.io/v1").put("kind", "ExecCredential");
            cred.putObject("status").put("token", tokens.idToken()).put("expirationTimestamp",
                    DateTimeFormatter.ISO_INSTANT.format(tokens.expiresAt().truncatedTo(ChronoUnit.SECONDS)));
            PrintWriter out = spec.commandLine().getOut();
            out.println(cred.toString());
            out.flush();
            return 0;
        } catch (LoginException e) {
            err.println("gatehouse credential: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private Tokens current(String gateway) {
        TokenCache.Entry entry = cache.load(gateway);
        String relogin = "run: gatehouse login --server " + gateway;
        if (entry == null) {
            throw new LoginException("not logged in to " + gateway + "; " + relogin);
        }
        if (entry.tokens().expiresAt().isAfter(Instant.now().plusSeconds(minValidity))) {
            return entry.tokens();
        }
        if (entry.tokens().refreshToken() == null) {
            throw new LoginException("the login to " + gateway + " has expired; " + relogin);
        }
        Tokens fresh;
        try {
            fresh = OidcClient.discover(Tls.client(idpCa), entry.issuer(), entry.clientId())
                    .refresh(entry.tokens().refreshToken());
        } catch (LoginException e) {
            throw new LoginException("cannot refresh the login to " + gateway + " (" + e.getMessage() + "); " + relogin);
        }
        cache.save(new TokenCache.Entry(gateway, entry.issuer(), entry.clientId(), fresh));
        return fresh;
    }
}
