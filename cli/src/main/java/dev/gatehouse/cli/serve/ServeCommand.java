package dev.gatehouse.cli.serve;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse serve --config gatehouse.yaml}: runs the gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway in front of the clusters named in the config file.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "gatehouse.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        GatehouseConfig loaded = ConfigLoader.load(config);
        Gatehouse gateway = Gatehouse.start(loaded);
        runUntilStopped(gateway);
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then closes {@code resources} in order (flushing the audit log). */
    public static void runUntilStopped(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    System.err.println("gatehouse: while stopping: " + e.getMessage());
                }
            }
            stopped.countDown();
        }, "gatehouse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }
}
