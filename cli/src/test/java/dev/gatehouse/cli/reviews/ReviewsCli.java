package dev.gatehouse.cli.reviews;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gatehouse.api.FakeReviews;
import dev.gatehouse.api.ReviewApiServer;
import dev.gatehouse.cli.Main;
import dev.gatehouse.review.Review;

/**
 * The reviews API over the in-memory service on loopback TLS, and {@code gatehouse} run against it as one of its
 * users, with the demo's layout: one token file per user under {@code tokens/}.
 */
public final class ReviewsCli implements AutoCloseable {
    private final ReviewApiServer server;
    private final Path tokens;

    /** What a run printed, and its exit code. */
    public record Run(int exit, String out, String err) {
    }

    private ReviewsCli(ReviewApiServer server, Path tokens) {
        this.server = server;
        this.tokens = tokens;
    }

    public static ReviewsCli start(Path dir) throws Exception {
        ReviewApiServer server = ReviewApiServer.start(dir);
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        for (Map.Entry<String, ?> user : ReviewApiServer.USERS.entrySet()) {
            Files.writeString(tokens.resolve(user.getKey().replace("-token", "")), user.getKey() + "\n");
        }
        Files.writeString(tokens.resolve("forged"), "forged-token\n");
        return new ReviewsCli(server, tokens);
    }

    public ReviewApiServer server() {
        return server;
    }

    public FakeReviews reviews() {
        return server.reviews();
    }

    /** {@code gatehouse ARGS --server URL --certificate-authority CA --token-file tokens/USER}. */
    public Run as(String user, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", server.url(), "--certificate-authority", server.ca().toString(),
                "--token-file", tokens.resolve(user).toString()));
        return run(all.toArray(String[]::new));
    }

    /** {@code gatehouse ARGS} as given. */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A pending review of {@code user}'s request, {@code n} sre approvals needed. */
    public Review held(String user, int n, String reason) {
        return reviews().open(ReviewApiServer.requester(user), FakeReviews.held("delete", "namespaces", "",
                "team-" + user), "prod-deletes", reason, FakeReviews.requirement(n, "sre")).await();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
