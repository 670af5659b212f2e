package dev.gatehouse.cli.serve;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import dev.gatehouse.Gatehouse;
import dev.gatehouse.audit.file.LogDirectoryInUseException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse serve --config gatehouse.yaml}: runs the gateway until SIGTERM or Ctrl-C. A data directory
 * another Gatehouse has open is refused before anything listens: one line naming the lock and its holder, exit
 * {@value #IN_USE}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway in front of the clusters named in the config file.")
public final class ServeCommand implements Callable<Integer> {
    /** The exit code when the data directory is in use by another process. */
    public static final int IN_USE = 1;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "gatehouse.yaml")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        GatehouseConfig loaded = ConfigLoader.load(config);
        Gatehouse gateway;
        try {
            gateway = Gatehouse.start(loaded);
        } catch (LogDirectoryInUseException e) {
            spec.commandLine().getErr().println(inUse("gatehouse serve", loaded.dataDir(), e));
            spec.commandLine().getErr().flush();
            return IN_USE;
        }
        runUntilStopped(gateway);
        return 0;
    }

    /** The one line saying that {@code dataDir} is in use, naming the lock and its holder. */
    public static String inUse(String command, java.nio.file.Path dataDir, LogDirectoryInUseException e) {
        return command + ": data directory " + dataDir.toAbsolutePath().normalize() + " is in use by another "
                + "Gatehouse (lock " + e.lockFile().toAbsolutePath().normalize() + " held by " + e.holder() + ")";
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
