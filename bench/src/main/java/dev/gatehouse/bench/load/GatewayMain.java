package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;

/**
 * The gateway as its own JVM for the harness (so its CPU time can be read from {@code /proc}): loads a
 * {@code gatehouse.yaml}, starts {@link Gatehouse} with the durable audit log, and runs until SIGTERM or
 * {@code --max-seconds}, closing the gateway (and flushing its audit log) either way. Stands in for
 * {@code gatehouse serve --config FILE} until the launcher has that command. {@code --audit-log discard}
 * starts it with {@link DiscardingAuditLog} instead, for the harness's diagnostic run without audit cost.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path config = null;
        long maxSeconds = 3600;
        boolean discardAudit = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
                case "--audit-log" -> discardAudit = switch (args[i + 1]) {
                    case "durable" -> false;
                    case "discard" -> true;
                    default -> throw new IllegalArgumentException("--audit-log: " + args[i + 1]
                            + " (expected: durable or discard)");
                };
                default -> throw new IllegalArgumentException(args[i]
                        + ": unknown option (expected --config, --max-seconds, --audit-log)");
            }
        }
        if (config == null) {
            System.err.println("usage: GatewayMain --config gatehouse.yaml [--max-seconds N] [--audit-log durable|discard]");
            System.exit(2);
        }
        Gatehouse gateway = discardAudit ? Gatehouse.start(ConfigLoader.load(config), c -> new DiscardingAuditLog())
                : Gatehouse.start(ConfigLoader.load(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("gateway listening on port " + gateway.port());
        if (!stopped.await(maxSeconds, TimeUnit.SECONDS)) {
            System.exit(0); // runs the shutdown hook
        }
    }
}
