package dev.gatehouse.bench.load;

import java.util.Map;

/**
 * One target at one concurrency: what the client saw, the CPU time its process(es) spent per request, the
 * upstream's CPU per request behind it, how busy the whole machine was and the load average at the start;
 * for a multi-threaded target such as the gateway JVM also its CPU per request by thread name.
 */
record Measurement(String target, String protocol, int concurrency, LoadResult load, double cpuMicrosPerRequest,
                   double upstreamCpuMicrosPerRequest, double cpuCores, double machineBusyPercent,
                   String loadAverage, Map<String, Double> threadCpuMicrosPerRequest) {

    /** Runs {@code generator} against {@code target}, reading the CPU time of its processes around the run. */
    static Measurement take(LoadGenerator generator, Target target, int concurrency, java.time.Duration duration) {
        String loadAverage = ProcStat.loadAverage();
        var pids = target.measuredPids();
        var upstreamPids = target.upstreamPids();
        long mainPid = target.measured().mainPid();
        Map<String, Long> threadsBefore = ProcStat.threadCpuMicros(mainPid);
        long[] machineBefore = ProcStat.machineJiffies();
        long cpuBefore = ProcStat.cpuMicros(pids);
        long upstreamBefore = ProcStat.cpuMicros(upstreamPids);
        long start = System.nanoTime();
        LoadResult load = generator.run(target, concurrency, duration);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        long cpu = ProcStat.cpuMicros(pids) - cpuBefore;
        long upstreamCpu = ProcStat.cpuMicros(upstreamPids) - upstreamBefore;
        double busy = ProcStat.busyPercent(machineBefore, ProcStat.machineJiffies());
        long n = Math.max(1, load.requests());
        Map<String, Double> threads = ProcStat.perRequest(threadsBefore, ProcStat.threadCpuMicros(mainPid), n);
        return new Measurement(target.name(), generator.protocol(), concurrency, load, (double) cpu / n,
                upstreamPids.isEmpty() ? Double.NaN : (double) upstreamCpu / n, cpu / 1e6 / wallSeconds, busy,
                loadAverage, threads.size() > 1 ? threads : Map.of());
    }
}
