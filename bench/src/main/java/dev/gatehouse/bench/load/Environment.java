package dev.gatehouse.bench.load;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a result depends on besides the code: the machine, the tools' versions, the settings of the run. */
final class Environment {
    private Environment() {
    }

    static Map<String, String> describe(HarnessOptions options) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        env.put("commit", Tools.firstLine(List.of("git", "rev-parse", "--short", "HEAD")));
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("kernel", Tools.firstLine(List.of("uname", "-sr")));
        env.put("cpu", Tools.firstLine(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")));
        env.put("loadAverageAtStart", ProcStat.loadAverage());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("gatewayJvm", String.join(" ", options.gatewayJvm()));
        env.put("gatewayLaunch", options.gatewayJar() == null ? "GatewayMain (bench class path)"
                : "java -jar " + options.gatewayJar() + " serve");
        env.put("nginx", Nginx.version());
        env.put("kubectl", options.kubectl() + " " + Tools.firstLine(List.of(options.kubectl(), "version", "--client")));
        env.put("wrk", Wrk.version() + ", threads " + options.wrkThreads());
        env.put("h2load", H2load.version());
        env.put("durationSeconds", Long.toString(options.duration().toSeconds()));
        env.put("warmupSeconds", Long.toString(options.warmup().toSeconds()));
        if (options.targets().contains(LoadHarness.WAIT)) {
            env.put("gatewayWaitMicros", Long.toString(options.waitMicros()));
        }
        return env;
    }
}
