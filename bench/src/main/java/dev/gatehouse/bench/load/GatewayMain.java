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
 * {@code gatehouse serve --config FILE} for the harness's diagnostic targets: {@code --audit-log discard} starts it
 * with {@link DiscardingAuditLog} (no audit cost), {@code --audit-log handoff:MICROS} with {@link HandoffAuditLog}
 * (the log's thread hand-offs and a wait of MICROS, but no write).
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path config = null;
        long maxSeconds = 3600;
        String auditLog = "durable";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[i + 1]);
                case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
                case "--audit-log" -> auditLog = args[i + 1];
                default -> throw new IllegalArgumentException(args[i]
                        + ": unknown option (expected --config, --max-seconds, --audit-log)");
            }
        }
        if (config == null) {
            System.err.println("usage: GatewayMain --config gatehouse.yaml [--max-seconds N] [--audit-log durable|discard|handoff:MICROS]");
            System.exit(2);
        }
        Gatehouse gateway = switch (auditLog) {
            case "durable" -> Gatehouse.start(ConfigLoader.load(config));
            case "discard" -> Gatehouse.start(ConfigLoader.load(config), c -> new DiscardingAuditLog());
            default -> {
                if (!auditLog.matches("handoff:\\d{1,6}")) {
                    throw new IllegalArgumentException("--audit-log: " + auditLog
                            + " (expected: durable, discard or handoff:MICROS)");
                }
                long micros = Long.parseLong(auditLog.substring("handoff:".length()));
                yield Gatehouse.start(ConfigLoader.load(config), c -> new HandoffAuditLog(micros));
            }
        };
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
