package dev.gatehouse.e2e.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assumptions;

import dev.gatehouse.e2e.ManagedProcess;
import dev.gatehouse.e2e.apiserver.RealApiServer;
import dev.gatehouse.listen.CertificateAuthority;

/**
 * A real Kubernetes node for end-to-end tests: Debian's containerd (+ runc, CNI bridge and host-local IPAM) and
 * the kubelet built by {@code scripts/prepare-kubelet.sh} from the same source package as the
 * {@link RealApiServer} (1.20), registered with that apiserver as node {@value #NODE_NAME}. Pods are placed on
 * it with {@code spec.nodeName} (there is no scheduler) and run the images the prepare script built without a
 * registry: {@value #BUSYBOX_IMAGE} (busybox-static: sh, tar, cat, nc, httpd) and the sandbox image
 * {@value #PAUSE_IMAGE}.
 *
 * <p>Use: {@link #plan(RealApiServer.Builder)} before the apiserver starts (it gives the apiserver a client
 * certificate for the kubelet and the CA to verify the kubelet's serving certificate, and the kubelet a token),
 * then {@link Plan#start(RealApiServer)} once it runs; it returns when the node is Ready.
 *
 * <p>What it changes on the machine, and undoes in {@link #close()}: the address {@value #NODE_IP}/32 on
 * {@code lo} (the kubelet refuses 127.0.0.0/8 as its node address; nothing reaches the real interfaces); a
 * blackhole route for the pod subnet {@value #POD_SUBNET} (so host traffic to pod addresses never leaves the
 * machine; the bridge {@value #BRIDGE} has no address and pods no default route); the sysctls the kubelet sets
 * (vm.overcommit_memory, vm.panic_on_oom, kernel.panic, kernel.panic_on_oops, kernel.keys.root_max*), restored to
 * the values seen before; mounts under its work dir; the bridge. containerd's root and state, the kubelet's root
 * dir, the CNI config and IPAM data live in a temp dir. One node at a time per machine (a file lock).
 *
 * <p>Every process runs under a hard lifetime and is stopped by pid; containerd's shims (which leave containerd's
 * process tree) are found by the socket path of this node's containerd in their arguments and stopped by pid.
 *
 * <p>When the binaries, packages or images are missing or the machine cannot run a node (not root, no
 * {@code ip}, cannot add the address), {@link #plan} aborts the test as skipped with the reason.
 */
public final class RealNode implements AutoCloseable {
    public static final String NODE_NAME = "gatehouse-node";
    public static final String NODE_IP = "10.203.0.1";
    public static final String POD_SUBNET = "10.203.1.0/24";
    public static final String BRIDGE = "gh-node0";
    public static final String BUSYBOX_IMAGE = "gatehouse.invalid/busybox:1";
    public static final String PAUSE_IMAGE = "gatehouse.invalid/pause:1";
    static final String KUBELET_USER = "system:node:" + NODE_NAME;
    private static final String CNI_NETWORK = "gatehouse-node";
    private static final Path LOCK = Path.of("/tmp/gatehouse-real-node.lock");
    private static final Path CNI_BIN = Path.of("/usr/lib/cni");
    private static final List<String> SYSCTLS = List.of("vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic",
            "kernel/panic_on_oops", "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the node runs; found by {@link #requirements()}. */
    public record Requirements(Path kubelet, Path containerd, Path ctr, Path runc, Path ip, Path busyboxImage,
                               Path pauseImage) {
    }

    private final Plan plan;
    private final RealApiServer api;
    private final Path workDir;
    private final Path containerdSocket;
    private final Map<String, String> sysctls;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<String> cleanupProblems = new ArrayList<>();
    private boolean addedAddress;
    private boolean addedRoute;
    private ManagedProcess containerd;
    private ManagedProcess kubelet;
    private int kubeletPort;

    // ------------------------------------------------------------------------------------------------
    // Requirements




    /** The kubelet: {@code $GATEHOUSE_KUBELET} or the newest {@code <cache>/kubelet/<version>/kubelet}. */
    static Optional<Path> findKubelet() {
        return RealApiServer.findCached("GATEHOUSE_KUBELET", "kubelet");
    }

    static Path cacheRoot() {
        return RealApiServer.cacheRoot("kubelet");
    }

    private static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()),
                        Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /**
     * Finds everything the node needs and checks that this machine can run it; aborts the test (skipped, with
     * every missing piece named) otherwise.
     */
    public static Requirements requirements() {
        List<String> missing = new ArrayList<>();
        Optional<Path> kubelet = findKubelet();
        if (kubelet.isEmpty()) {
            missing.add("no kubelet at " + cacheRoot() + "/<version>/kubelet (nor $GATEHOUSE_KUBELET)");
        }
        Optional<Path> containerd = onPath("containerd");
        Optional<Path> ctr = onPath("ctr");
        Optional<Path> runc = onPath("runc");
        Optional<Path> ip = onPath("ip");
        if (containerd.isEmpty() || ctr.isEmpty()) {
            missing.add("no containerd/ctr on PATH (Debian package containerd)");
        }
        if (runc.isEmpty()) {
            missing.add("no runc on PATH (Debian package runc)");
        }
        if (ip.isEmpty()) {
            missing.add("no ip on PATH (Debian package iproute2)");
        }
        for (String plugin : List.of("bridge", "host-local", "loopback")) {
            if (!Files.isExecutable(CNI_BIN.resolve(plugin))) {
                missing.add("no CNI plugin " + CNI_BIN.resolve(plugin) + " (Debian package containernetworking-plugins)");
            }
        }
        Path busybox = cacheRoot().resolve("images/busybox.tar");
        Path pause = cacheRoot().resolve("images/pause.tar");
        if (!Files.isRegularFile(busybox) || !Files.isRegularFile(pause)) {
            missing.add("no images " + busybox + " / " + pause);
        }
        if (!isRoot()) {
            missing.add("not root (the kubelet and containerd need root: mounts, namespaces, cgroups, sysctls)");
        } else if (!Files.isWritable(Path.of("/proc/sys/vm/overcommit_memory"))) {
            missing.add("/proc/sys is read-only here (the kubelet sets sysctls)");
        } else if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory")) && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            missing.add("no memory cgroup at /sys/fs/cgroup");
        }
        if (!missing.isEmpty()) {
            String reason = "real node tests cannot run: " + String.join("; ", missing)
                    + " (scripts/prepare-kubelet.sh, which ./run-tests runs, prepares them)";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        return new Requirements(kubelet.get(), containerd.get(), ctr.get(), runc.get(), ip.get(), busybox, pause);
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------
    // Plan (before the apiserver starts)

    /**
     * Checks the {@link #requirements()} (aborting the test when they are not met) and sets up {@code apiServer}
     * for a node: a client certificate the apiserver presents to the kubelet (for exec, attach, port-forward,
     * logs), the CA to verify the kubelet's serving certificate, node addresses by InternalIP, and a static token
     * for the kubelet ({@value #KUBELET_USER}, group system:nodes).
     */
    public static Plan plan(RealApiServer.Builder apiServer) {
        Requirements requirements = requirements();
        CertificateAuthority ca = apiServer.certificateAuthority();
        Path pki = apiServer.workDir().resolve("pki");
        CertificateAuthority.Issued client = ca.issueClient("kube-apiserver-kubelet-client", Duration.ofDays(2));
        Path cert = RealApiServer.write(pki.resolve("kubelet-client.crt"), client.certificatePem(), false);
        Path key = RealApiServer.write(pki.resolve("kubelet-client.key"), RealApiServer.pkcs8Pem(client.keyPair().getPrivate()), true);
        apiServer.addArgs("--kubelet-client-certificate=" + cert, "--kubelet-client-key=" + key,
                "--kubelet-certificate-authority=" + apiServer.caFile(),
                "--kubelet-preferred-address-types=InternalIP");
        String token = apiServer.addUserToken(KUBELET_USER, "system:nodes");
        return new Plan(requirements, ca, apiServer.caFile(), token);
    }

    /** The node's half of the setup, made before the apiserver started; {@link #start} starts the node. */
    public static final class Plan {
        private final Requirements requirements;
        private final CertificateAuthority ca;
        private final Path caFile;
        private final String kubeletToken;
        private Duration lifetime = Duration.ofMinutes(30);
        private Duration readyTimeout = Duration.ofMinutes(4);
        private boolean keepWorkDir = "1".equals(System.getenv("GATEHOUSE_KEEP_NODE_DIR"));

        private Plan(Requirements requirements, CertificateAuthority ca, Path caFile, String kubeletToken) {
            this.requirements = requirements;
            this.ca = ca;
            this.caFile = caFile;
            this.kubeletToken = kubeletToken;
        }

        public Requirements requirements() {
            return requirements;
        }

        /** Hard lifetime of containerd and the kubelet (default 30 min). */
        public Plan lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** How long to wait for the node to be Ready (default 4 min: the machine may be busy). */
        public Plan readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts containerd and the kubelet against {@code api}; returns when the node is Ready. */
        public RealNode start(RealApiServer api) {
            RealNode node = new RealNode(this, api);
            try {
                node.startAll();
                return node;
            } catch (RuntimeException | Error e) {
                node.close();
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Starting

    private RealNode(Plan plan, RealApiServer api) {
        this.plan = plan;
        this.api = api;
        try {
            lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
            while (acquired == null) {
                acquired = lockChannel.tryLock();
                if (acquired == null) {
                    if (System.nanoTime() > deadline) {
                        lockChannel.close();
                        throw new IllegalStateException("another real node held " + LOCK + " for 15 minutes");
                    }
                    RealApiServer.sleep(500);
                }
            }
            lock = acquired;
            // Short: unix socket paths must stay under 108 bytes.
            workDir = Files.createTempDirectory(Path.of("/tmp"), "gatehouse-node-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the node", e);
        }
        containerdSocket = workDir.resolve("containerd/containerd.sock");
        sysctls = readSysctls();
    }

    private void startAll() {
        setUpNetwork();
        startContainerd();
        importImages();
        grantKubeletRbac();
        startKubelet();
        awaitReady();
    }

    private void setUpNetwork() {
        List<String> addresses = run(List.of(plan.requirements.ip().toString(), "-4", "-o", "addr", "show", "dev", "lo"),
                Duration.ofSeconds(10), true);
        if (!String.join("\n", addresses).contains(" " + NODE_IP + "/")) {
            List<String> out = run(List.of(plan.requirements.ip().toString(), "addr", "add", NODE_IP + "/32", "dev", "lo"),
                    Duration.ofSeconds(10), false);
            if (out == null) {
                Assumptions.abort("real node tests cannot run: cannot add " + NODE_IP + "/32 to lo (ip addr add failed)");
            }
            addedAddress = true;
        }
        List<String> routes = run(List.of(plan.requirements.ip().toString(), "-4", "route", "show", POD_SUBNET),
                Duration.ofSeconds(10), true);
        if (routes.stream().noneMatch(l -> !l.isBlank())) {
            run(List.of(plan.requirements.ip().toString(), "route", "add", "blackhole", POD_SUBNET), Duration.ofSeconds(10), true);
            addedRoute = true;
        }
    }

    private void startContainerd() {
        Path dir = workDir.resolve("containerd");
        Path cniConf = workDir.resolve("cni/conf");
        String config = """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                [grpc]
                  address = "%2$s"
                [ttrpc]
                  address = "%2$s.ttrpc"
                [metrics]
                  address = ""
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%3$s"
                  # root here lacks CAP_SYS_RESOURCE: without this every sandbox dies
                  # ("can't get final child's PID from pipe")
                  restrict_oom_score_adj = true
                  disable_apparmor = true
                  enable_selinux = false
                  netns_mounts_under_state_dir = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                        BinaryName = "%4$s"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%5$s"
                    conf_dir = "%6$s"
                    max_conf_num = 1
                """.formatted(dir, containerdSocket, PAUSE_IMAGE, plan.requirements.runc(), CNI_BIN, cniConf);
        Path configFile = RealApiServer.write(dir.resolve("config.toml"), config, false);
        ObjectNode conflist = JSON.createObjectNode();
        conflist.put("cniVersion", "0.4.0");
        conflist.put("name", CNI_NETWORK);
        ObjectNode bridge = conflist.putArray("plugins").addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", BRIDGE);
        // No gateway, no masquerading: pods reach only each other; nothing is forwarded off the machine.
        bridge.put("isGateway", false);
        bridge.put("ipMasq", false);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.putArray("ranges").addArray().addObject().put("subnet", POD_SUBNET);
        ipam.put("dataDir", workDir.resolve("cni/ipam").toString());
        RealApiServer.write(cniConf.resolve("10-gatehouse-node.conflist"), conflist.toPrettyString(), false);

        containerd = ManagedProcess.start("containerd", List.of(plan.requirements.containerd().toString(),
                        "--config", configFile.toString(), "--log-level", "info"),
                workDir.resolve("containerd.log"), plan.lifetime, Map.of("PATH", pathWith(plan.requirements.runc().getParent())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            checkAlive(containerd);
            if (Files.exists(containerdSocket) && run(ctr("version"), Duration.ofSeconds(10), false) != null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("containerd did not answer within 60 s\n" + containerd.logTail(40));
            }
            RealApiServer.sleep(300);
        }
    }

    private List<String> ctr(String... args) {
        List<String> command = new ArrayList<>(List.of(plan.requirements.ctr().toString(), "--address",
                containerdSocket.toString(), "--namespace", "k8s.io"));
        command.addAll(List.of(args));
        return command;
    }

    private void importImages() {
        for (Path image : List.of(plan.requirements.busyboxImage(), plan.requirements.pauseImage())) {
            run(ctr("images", "import", image.toString()), Duration.ofSeconds(120), true);
        }
        String images = String.join("\n", run(ctr("images", "ls", "-q"), Duration.ofSeconds(20), true));
        if (!images.contains(BUSYBOX_IMAGE) || !images.contains(PAUSE_IMAGE)) {
            throw new IllegalStateException("images not in containerd after import: " + images);
        }
    }

    private void grantKubeletRbac() {
        ObjectNode binding = JSON.createObjectNode();
        binding.put("apiVersion", "rbac.authorization.k8s.io/v1");
        binding.put("kind", "ClusterRoleBinding");
        binding.putObject("metadata").put("name", "gatehouse-node-kubelet");
        ObjectNode ref = binding.putObject("roleRef");
        ref.put("apiGroup", "rbac.authorization.k8s.io");
        ref.put("kind", "ClusterRole");
        ref.put("name", "system:node");
        ObjectNode subject = binding.putArray("subjects").addObject();
        subject.put("apiGroup", "rbac.authorization.k8s.io");
        subject.put("kind", "User");
        subject.put("name", KUBELET_USER);
        api.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", binding.toString());
    }

    private void startKubelet() {
        Path dir = workDir.resolve("kubelet");
        CertificateAuthority.Issued serving = plan.ca.issueServer(NODE_NAME, List.of(NODE_NAME, "localhost"),
                List.of(NODE_IP), Duration.ofDays(2));
        Path cert = RealApiServer.write(dir.resolve("pki/kubelet.crt"), serving.certificatePem(), false);
        Path key = RealApiServer.write(dir.resolve("pki/kubelet.key"), RealApiServer.pkcs8Pem(serving.keyPair().getPrivate()), true);
        Path kubeconfig = RealApiServer.write(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: real
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: kubelet
                  user:
                    token: %s
                contexts:
                - name: real
                  context:
                    cluster: real
                    user: kubelet
                current-context: real
                """.formatted(api.url(), plan.caFile, plan.kubeletToken), true);
        Path resolvConf = RealApiServer.write(dir.resolve("resolv.conf"), "# no DNS for pods on the gatehouse test node\n", false);
        kubeletPort = RealApiServer.freePort();
        int healthzPort = RealApiServer.freePort();
        Path config = RealApiServer.write(dir.resolve("config.yaml"), """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                address: %s
                port: %d
                readOnlyPort: 0
                healthzBindAddress: 127.0.0.1
                healthzPort: %d
                tlsCertFile: %s
                tlsPrivateKeyFile: %s
                authentication:
                  anonymous:
                    enabled: false
                  webhook:
                    enabled: false
                  x509:
                    clientCAFile: %s
                authorization:
                  mode: AlwaysAllow
                cgroupDriver: cgroupfs
                cgroupsPerQOS: false
                enforceNodeAllocatable: []
                failSwapOn: false
                makeIPTablesUtilChains: false
                hairpinMode: none
                resolvConf: %s
                rotateCertificates: false
                serverTLSBootstrap: false
                serializeImagePulls: false
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                evictionHard:
                  memory.available: "50Mi"
                  nodefs.available: "1%%"
                  nodefs.inodesFree: "1%%"
                  imagefs.available: "1%%"
                nodeStatusUpdateFrequency: 5s
                syncFrequency: 10s
                maxPods: 20
                """.formatted(NODE_IP, kubeletPort, healthzPort, cert, key, plan.caFile, resolvConf), false);
        kubelet = ManagedProcess.start("kubelet", List.of(plan.requirements.kubelet().toString(),
                        "--config=" + config,
                        "--kubeconfig=" + kubeconfig,
                        "--root-dir=" + dir.resolve("root"),
                        "--cert-dir=" + dir.resolve("pki"),
                        "--container-runtime=remote",
                        "--container-runtime-endpoint=unix://" + containerdSocket,
                        "--runtime-request-timeout=2m",
                        "--node-ip=" + NODE_IP,
                        "--hostname-override=" + NODE_NAME,
                        "--v=2"),
                workDir.resolve("kubelet.log"), plan.lifetime,
                Map.of("GOMAXPROCS", "2", "PATH", pathWith(plan.requirements.runc().getParent())));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + plan.readyTimeout.toNanos();
        String last = "not registered";
        while (System.nanoTime() < deadline) {
            checkAlive(containerd);
            checkAlive(kubelet);
            RealApiServer.Response r = api.get("/api/v1/nodes/" + NODE_NAME, api.adminToken());
            if (r.status() == 200) {
                last = "registered; conditions " + r.json().path("status").path("conditions");
                for (JsonNode condition : r.json().path("status").path("conditions")) {
                    if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                        return;
                    }
                }
            }
            RealApiServer.sleep(1000);
        }
        throw new IllegalStateException("node " + NODE_NAME + " not Ready within " + plan.readyTimeout + " (" + last + ")\n"
                + kubelet + ":\n" + kubelet.logTail(60) + "\n" + containerd + ":\n" + containerd.logTail(20));
    }

    // ------------------------------------------------------------------------------------------------
    // Pods

    /**
     * Creates pod {@code name} in {@code namespace} on this node (spec.nodeName, image {@value #BUSYBOX_IMAGE},
     * never pulled) running {@code command}, and waits until it is Running.
     */
    public JsonNode runPod(String namespace, String name, Duration timeout, String... command) {
        ObjectNode pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        ObjectNode spec = pod.putObject("spec");
        spec.put("nodeName", NODE_NAME);
        spec.put("dnsPolicy", "Default");
        spec.put("terminationGracePeriodSeconds", 1);
        spec.put("automountServiceAccountToken", false);
        ObjectNode container = spec.putArray("containers").addObject();
        container.put("name", "main");
        container.put("image", BUSYBOX_IMAGE);
        container.put("imagePullPolicy", "Never");
        ArrayNode cmd = container.putArray("command");
        for (String c : command) {
            cmd.add(c);
        }
        api.create("/api/v1/namespaces/" + namespace + "/pods", pod.toString());
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            checkAlive(containerd);
            checkAlive(kubelet);
            RealApiServer.Response r = api.get("/api/v1/namespaces/" + namespace + "/pods/" + name, api.adminToken());
            if (r.status() == 200) {
                JsonNode status = r.json().path("status");
                last = status.toString();
                if ("Running".equals(status.path("phase").asText())) {
                    return r.json();
                }
                if ("Failed".equals(status.path("phase").asText()) || "Succeeded".equals(status.path("phase").asText())) {
                    break;
                }
            }
            RealApiServer.sleep(500);
        }
        throw new IllegalStateException("pod " + namespace + "/" + name + " not Running within " + timeout + ": " + last
                + "\n" + kubelet + ":\n" + kubelet.logTail(40));
    }

    /** Deletes every pod on this node and waits (bounded) until the kubelet has stopped them and they are gone. */
    public void deleteAllPods(Duration timeout) {
        RealApiServer.Response pods = api.get("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE_NAME, api.adminToken());
        if (pods.status() != 200) {
            return;
        }
        for (JsonNode pod : pods.json().path("items")) {
            String path = "/api/v1/namespaces/" + pod.path("metadata").path("namespace").asText() + "/pods/"
                    + pod.path("metadata").path("name").asText();
            api.request("DELETE", path, api.adminToken(), "{\"gracePeriodSeconds\":1}", Map.of());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RealApiServer.Response left = api.get("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE_NAME, api.adminToken());
            if (left.status() != 200 || left.json().path("items").isEmpty()) {
                return;
            }
            RealApiServer.sleep(500);
        }
        cleanupProblems.add("pods still on the node after " + timeout);
    }

    // ------------------------------------------------------------------------------------------------
    // Accessors

    public Path workDir() {
        return workDir;
    }

    public Path kubeletLog() {
        return kubelet.log();
    }

    public Path containerdLog() {
        return containerd.log();
    }

    /** The kubelet's HTTPS port on {@value #NODE_IP}. */
    public int kubeletPort() {
        return kubeletPort;
    }

    /** The last lines of the kubelet's log, for assertion messages. */
    public String kubeletLogTail(int lines) {
        return kubelet == null ? "" : kubelet.logTail(lines);
    }

    // ------------------------------------------------------------------------------------------------
    // Stopping

    /**
     * Stops the node: deletes its pods (the kubelet tears their sandboxes and networks down), stops the kubelet,
     * kills what is left in containerd, stops containerd and its shims by pid, unmounts what is mounted under the
     * work dir, removes the bridge, the route and the address, restores the sysctls, and deletes the work dir
     * (unless {@code GATEHOUSE_KEEP_NODE_DIR=1}). Problems are printed, not thrown, so that every step runs.
     */
    @Override
    public void close() {
        try {
            if (kubelet != null && kubelet.isAlive() && containerd != null && containerd.isAlive()) {
                step("delete pods", () -> deleteAllPods(Duration.ofSeconds(60)));
            }
            if (kubelet != null) {
                step("stop kubelet", kubelet::close);
            }
            if (containerd != null && containerd.isAlive()) {
                step("kill tasks", this::killTasks);
            }
            if (containerd != null) {
                step("stop containerd", containerd::close);
            }
            step("stop shims", this::stopShims);
            step("unmount", this::unmountAll);
            step("remove bridge", () -> {
                if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                    run(List.of(plan.requirements.ip().toString(), "link", "del", BRIDGE), Duration.ofSeconds(10), true);
                }
            });
            if (addedRoute) {
                step("remove route", () -> run(List.of(plan.requirements.ip().toString(), "route", "del", "blackhole",
                        POD_SUBNET), Duration.ofSeconds(10), true));
            }
            if (addedAddress) {
                step("remove address", () -> run(List.of(plan.requirements.ip().toString(), "addr", "del",
                        NODE_IP + "/32", "dev", "lo"), Duration.ofSeconds(10), true));
            }
            step("restore sysctls", this::restoreSysctls);
            step("remove CNI cache", this::removeCniCache);
            if (!plan.keepWorkDir) {
                step("delete work dir", () -> RealApiServer.deleteTree(workDir));
            }
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                cleanupProblems.add("release lock: " + e);
            }
            if (!cleanupProblems.isEmpty()) {
                System.err.println("RealNode cleanup problems: " + cleanupProblems);
            }
        }
    }

    /** Problems seen while stopping (empty when everything was undone). */
    public List<String> cleanupProblems() {
        return List.copyOf(cleanupProblems);
    }

    private void step(String name, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            cleanupProblems.add(name + ": " + e.getMessage());
        }
    }

    private void killTasks() {
        List<String> tasks = run(ctr("tasks", "ls", "-q"), Duration.ofSeconds(20), false);
        if (tasks == null) {
            return;
        }
        for (String task : tasks) {
            if (!task.isBlank()) {
                run(ctr("tasks", "delete", "--force", task.trim()), Duration.ofSeconds(30), false);
            }
        }
    }

    /** containerd's shims re-parent away from containerd: found by this node's socket in their arguments. */
    private void stopShims() {
        String socket = containerdSocket.toString();
        List<ProcessHandle> shims = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(socket)).orElse(false))
                .toList();
        for (ProcessHandle shim : shims) {
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
        }
        for (ProcessHandle shim : shims) {
            try {
                shim.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                cleanupProblems.add("shim " + shim.pid() + " did not exit");
            }
        }
    }

    private void unmountAll() {
        List<String> mountPoints = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String point = unescape(line.split(" ")[4]);
                if (point.startsWith(workDir + "/")) {
                    mountPoints.add(point);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mountPoints.sort(Comparator.comparing(String::length).reversed());
        for (String point : mountPoints) {
            if (run(List.of("umount", point), Duration.ofSeconds(20), false) == null) {
                run(List.of("umount", "-l", point), Duration.ofSeconds(20), true);
            }
        }
    }

    private static String unescape(String mountInfoField) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < mountInfoField.length(); i++) {
            char c = mountInfoField.charAt(i);
            if (c == '\\' && i + 3 < mountInfoField.length()) {
                out.append((char) Integer.parseInt(mountInfoField.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Map<String, String> readSysctls() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : SYSCTLS) {
            Path file = Path.of("/proc/sys", name);
            try {
                if (Files.exists(file)) {
                    values.put(name, readSysctl(file));
                }
            } catch (IOException e) {
                // not readable here: not restored either
            }
        }
        return values;
    }

    /**
     * A sysctl's value in one read from offset 0: the kernel answers a read at a later offset with EOF, so
     * {@code Files.readString} (which reads a byte, then the rest) sees only the first character ("10" reads as "1").
     */
    private static String readSysctl(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).trim();
        }
    }

    private void restoreSysctls() {
        sysctls.forEach((name, value) -> {
            Path file = Path.of("/proc/sys", name);
            try {
                String now = readSysctl(file);
                if (!now.equals(value)) {
                    Files.writeString(file, value + "\n");
                    String after = readSysctl(file);
                    if (!after.equals(value)) {
                        cleanupProblems.add("restore " + name + ": wrote " + value + " over " + now + ", reads " + after);
                    }
                }
            } catch (IOException e) {
                cleanupProblems.add("restore " + name + "=" + value + ": " + e);
            }
        });
    }

    /** libcni caches each attachment's result in /var/lib/cni/results/<network>-<container>-<if>. */
    private void removeCniCache() {
        Path results = Path.of("/var/lib/cni/results");
        if (!Files.isDirectory(results)) {
            return;
        }
        try (Stream<Path> files = Files.list(results)) {
            files.filter(f -> f.getFileName().toString().startsWith(CNI_NETWORK + "-")).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    cleanupProblems.add("delete " + f + ": " + e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "RealNode[" + NODE_NAME + " at " + NODE_IP + ":" + kubeletPort + ", " + kubelet + ", " + containerd + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Utilities

    /**
     * Runs a short command (stdout and stderr merged) with a timeout; returns its output lines, or null when it
     * failed and {@code required} is false (throws when it is true).
     */
    private List<String> run(List<String> command, Duration timeout, boolean required) {
        try {
            Path out = Files.createTempFile("gatehouse-node-cmd-", ".txt");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
                List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
                if (done && p.exitValue() == 0) {
                    return lines;
                }
                String why = String.join(" ", command) + (done ? " exited " + p.exitValue() : " timed out after " + timeout)
                        + ": " + String.join("\n", lines);
                if (required) {
                    throw new IllegalStateException(why);
                }
                return null;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            if (required) {
                throw new UncheckedIOException(e);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String pathWith(Path dir) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        return dir + ":" + path + ":/usr/sbin:/usr/bin:/sbin:/bin";
    }

    private static void checkAlive(ManagedProcess process) {
        if (!process.isAlive()) {
            throw new IllegalStateException(process + " exited:\n" + process.logTail(60));
        }
    }




}
