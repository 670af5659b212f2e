package dev.gatehouse.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.gatehouse.classify.RequestInfo;
import dev.gatehouse.identity.Identity;

/**
 * The policy in a file or directory, re-read when it changes. A daemon thread ({@code policy-reload}) reads the files
 * every interval and hashes them (SHA-256 over what was read); when the digest differs from the policy in force it
 * loads what it read. A good policy replaces the old one atomically (a request is decided wholly by one or the other);
 * a bad one is reported to the {@link PolicyReloadListener} once and the policy in force stays. Request threads only
 * read a volatile field: nothing here blocks an event loop.
 *
 * <p>Start-up is strict: {@link #start} throws {@link PolicyException} when the policy cannot be loaded.
 */
public final class ReloadingPolicyEngine implements PolicyEngine, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingPolicyEngine.class);
    private final Path path;
    private final PolicyReloadListener listener;
    private final ScheduledExecutorService timer;
    private volatile RulePolicy current;
    private String rejectedDigest = "";
    private String rejectedMessage = "";

    private ReloadingPolicyEngine(Path path, RulePolicy initial, PolicyReloadListener listener, Duration interval) {
        this.path = path;
        this.current = initial;
        this.listener = listener;
        if (interval.isZero()) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "policy-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the policy at {@code path} (a file or a directory) and checks it for changes every {@code interval}
     * ({@link Duration#ZERO}: never). Throws {@link PolicyException} when it cannot be loaded.
     */
    public static ReloadingPolicyEngine start(Path path, Duration interval, PolicyReloadListener listener) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        RulePolicy initial = PolicyLoader.load(path);
        return new ReloadingPolicyEngine(path, initial, listener == null ? PolicyReloadListener.NONE : listener,
                interval);
    }

    /**
     * The engine {@code settings} describe: the file's, reloading; or, without a file, the built-in default policy
     * (never reloaded).
     */
    public static PolicyEngine of(PolicySettings settings, PolicyReloadListener listener) {
        if (settings.file() == null) {
            return PolicyLoader.builtIn("default");
        }
        return start(settings.file(), settings.reloadInterval(), listener);
    }

    /** The policy in force. */
    public RulePolicy current() {
        return current;
    }

    @Override
    public boolean needsObject(Identity identity, RequestInfo request) {
        return current.needsObject(identity, request);
    }

    @Override
    public Decision decide(PolicyRequest request) {
        return current.decide(request);
    }

    /** Checks the files now (also what the timer does); returns true when a new policy was put in force. */
    public synchronized boolean poll() {
        PolicyFiles files;
        try {
            files = PolicyFiles.read(path);
        } catch (PolicyException e) {
            reject(e, "unreadable:" + e.getMessage());
            return false;
        }
        if (files.sha256().equals(current.summary().sha256())) {
            rejectedDigest = "";
            return false;
        }
        try {
            RulePolicy next = PolicyLoader.load(files);
            current = next;
            rejectedDigest = "";
            LOG.info("policy reloaded: {}", next.summary());
            try {
                listener.reloaded(next.summary());
            } catch (RuntimeException listenerError) {
                LOG.warn("policy reload listener failed", listenerError);
            }
            return true;
        } catch (PolicyException e) {
            reject(e, files.sha256());
            return false;
        } catch (RuntimeException e) {
            reject(new PolicyException(path + ": cannot be loaded: " + e), files.sha256());
            return false;
        }
    }

    /** The timer's task: a failure must not cancel the schedule. */
    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("policy reload check failed; will retry", e);
        }
    }

    private void reject(PolicyException e, String digest) {
        if (digest.equals(rejectedDigest) && e.getMessage().equals(rejectedMessage)) {
            return;
        }
        rejectedDigest = digest;
        rejectedMessage = e.getMessage();
        LOG.warn("policy change rejected, keeping {}: {}", current.summary(), e.getMessage());
        try {
            listener.rejected(e, current.summary());
        } catch (RuntimeException listenerError) {
            LOG.warn("policy reload listener failed", listenerError);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
