package dev.gatehouse.sandbox.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pretend container process for {@code kubectl exec}: a handful of commands over a tiny read-only file system,
 * deterministic so tests can assert output. {@code echo}, {@code cat} (files, or stdin streamed back),
 * {@code ls}, {@code pwd}, {@code hostname}, {@code whoami}, {@code id}, {@code env}/{@code printenv},
 * {@code uname}, {@code date}, {@code true}, {@code false}, {@code exit N}, {@code test -d/-f/-e},
 * {@code tar cf - FILE} (what {@code kubectl cp} reads), {@code tar x...} (consumes stdin), and {@code sh}/{@code bash}
 * either with {@code -c "cmd; cmd"} or reading command lines from stdin (echoing keystrokes and printing a prompt
 * when a TTY was asked for). Anything else fails like a missing executable, with exit code 127.
 */
public final class FakeShell {
    private static final String PROMPT = "/ # ";

    private final Terminal terminal;
    private final Map<String, String> files;
    private final Map<String, String> env;
    private final List<String> command;
    private final boolean tty;
    private final StringBuilder line = new StringBuilder();
    private Mode mode;
    private boolean done;

    private enum Mode { FINISHED, CAT, SHELL, DRAIN }

    /**
     * @param command the command as kubectl sent it ({@code command} query parameters)
     * @param pod     the pod name (the hostname)
     * @param env     the container's environment
     * @param tty     whether a terminal was asked for
     */
    public FakeShell(List<String> command, String pod, Map<String, String> env, boolean tty, Terminal terminal) {
        this.command = List.copyOf(command);
        this.terminal = terminal;
        this.tty = tty;
        this.env = new TreeMap<>(env);
        this.env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        this.env.put("HOSTNAME", pod);
        this.env.putIfAbsent("HOME", "/root");
        this.files = new TreeMap<>(Map.of(
                "/etc/hostname", pod + "\n",
                "/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
                        + "VERSION_ID=\"12\"\nID=debian\n",
                "/app/config.yaml", "server:\n  port: 8080\n",
                "/etc/motd", "Welcome to the Gatehouse sandbox. Nothing here is real.\n"));
    }

    /** Starts the command; it may finish at once or wait for stdin. */
    public void start() {
        List<String> args = command;
        String program = args.isEmpty() ? "" : base(args.get(0));
        if ((program.equals("sh") || program.equals("bash")) && args.size() >= 3 && args.get(1).equals("-c")) {
            finish(runLine(args.get(2)));
        } else if (program.equals("sh") || program.equals("bash")) {
            mode = Mode.SHELL;
            if (tty) {
                terminal.stdout(PROMPT);
            }
        } else if (program.equals("cat") && args.size() == 1) {
            mode = Mode.CAT;
        } else if (program.equals("tar") && args.size() > 1 && args.get(1).contains("x")) {
            mode = Mode.DRAIN;
        } else {
            finish(run(args));
        }
    }

    /** Bytes the client sent on stdin. */
    public void stdin(byte[] data) {
        if (done) {
            return;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        switch (mode) {
            case CAT -> terminal.stdout(text);
            case SHELL -> shellInput(text);
            default -> { }
        }
    }

    /** The client closed stdin. */
    public void stdinClosed() {
        if (done) {
            return;
        }
        if (mode == Mode.SHELL && !line.isEmpty()) {
            int code = runLine(line.toString());
            line.setLength(0);
            if (done) {
                return;
            }
            finish(code);
            return;
        }
        finish(0);
    }

    public boolean isDone() {
        return done;
    }

    private void shellInput(String text) {
        for (char c : text.toCharArray()) {
            if (c == '\r' || c == '\n') {
                if (tty) {
                    terminal.stdout("\r\n");
                }
                String input = line.toString();
                line.setLength(0);
                runLine(input);
                if (done) {
                    return;
                }
                if (tty) {
                    terminal.stdout(PROMPT);
                }
            } else if (c == 4 && line.isEmpty()) {
                finish(0);
                return;
            } else if (c == 127 || c == 8) {
                if (!line.isEmpty()) {
                    line.setLength(line.length() - 1);
                    if (tty) {
                        terminal.stdout("\b \b");
                    }
                }
            } else {
                line.append(c);
                if (tty) {
                    terminal.stdout(String.valueOf(c));
                }
            }
        }
    }

    /** Runs {@code a; b && c} style lines (no pipes); returns the last exit code. */
    private int runLine(String input) {
        int code = 0;
        for (String statement : input.split(";")) {
            for (String part : statement.split("&&")) {
                List<String> words = words(part);
                if (words.isEmpty()) {
                    continue;
                }
                if (words.get(0).equals("exit")) {
                    finish(words.size() > 1 ? parseInt(words.get(1)) : code);
                    return code;
                }
                code = run(words);
                if (code != 0) {
                    break;
                }
            }
        }
        return code;
    }

    private int run(List<String> args) {
        if (args.isEmpty()) {
            terminal.stderr("error: no command given\n");
            return 1;
        }
        String program = base(args.get(0));
        List<String> rest = args.subList(1, args.size());
        return switch (program) {
            case "echo" -> {
                terminal.stdout(String.join(" ", rest) + "\n");
                yield 0;
            }
            case "true" -> 0;
            case "false" -> 1;
            case "pwd" -> print("/");
            case "hostname" -> print(env.get("HOSTNAME"));
            case "whoami" -> print("root");
            case "id" -> print("uid=0(root) gid=0(root) groups=0(root)");
            case "uname" -> print(rest.contains("-a") ? "Linux " + env.get("HOSTNAME")
                    + " 6.1.0-28-amd64 #1 SMP Debian x86_64 GNU/Linux" : "Linux");
            case "date" -> print("Thu Jan  1 00:00:00 UTC 2026");
            case "env", "printenv" -> {
                if (!rest.isEmpty()) {
                    String value = env.get(rest.get(0));
                    yield value == null ? 1 : print(value);
                }
                env.forEach((k, v) -> terminal.stdout(k + "=" + v + "\n"));
                yield 0;
            }
            case "ls" -> ls(rest.isEmpty() ? "/" : rest.get(rest.size() - 1));
            case "cat" -> cat(rest);
            case "test", "[" -> test(rest);
            case "tar" -> tar(rest);
            case "sleep" -> 0;
            default -> {
                terminal.stderr("sh: " + args.get(0) + ": not found\n");
                yield 127;
            }
        };
    }

    private int print(String text) {
        terminal.stdout(text + "\n");
        return 0;
    }

    private int ls(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        if (files.containsKey(dir)) {
            return print(dir);
        }
        List<String> names = new ArrayList<>();
        if (dir.equals("/")) {
            names.addAll(List.of("app", "bin", "dev", "etc", "home", "proc", "root", "tmp", "usr", "var"));
        } else {
            files.keySet().stream().filter(f -> f.startsWith(prefix))
                    .map(f -> f.substring(prefix.length()).split("/")[0]).distinct().forEach(names::add);
        }
        if (names.isEmpty() && !isDirectory(dir)) {
            terminal.stderr("ls: " + dir + ": No such file or directory\n");
            return 1;
        }
        names.forEach(n -> terminal.stdout(n + "\n"));
        return 0;
    }

    private int cat(List<String> paths) {
        int code = 0;
        for (String path : paths) {
            String content = files.get(path);
            if (content == null) {
                terminal.stderr("cat: " + path + ": No such file or directory\n");
                code = 1;
            } else {
                terminal.stdout(content);
            }
        }
        return code;
    }

    private int test(List<String> args) {
        if (args.size() < 2) {
            return 1;
        }
        String path = args.get(1);
        boolean result = switch (args.get(0)) {
            case "-d" -> isDirectory(path);
            case "-f" -> files.containsKey(path);
            case "-e" -> isDirectory(path) || files.containsKey(path);
            default -> false;
        };
        return result ? 0 : 1;
    }

    private boolean isDirectory(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return List.of("/", "/app", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/tmp", "/usr", "/var")
                .contains(p);
    }

    private int tar(List<String> args) {
        if (args.isEmpty() || !args.get(0).contains("c")) {
            return 0;
        }
        String path = args.get(args.size() - 1);
        String content = files.get(path);
        if (content == null) {
            terminal.stderr("tar: " + path + ": No such file or directory\n");
            return 2;
        }
        terminal.stdout(Tar.single(path.startsWith("/") ? path.substring(1) : path,
                content.getBytes(StandardCharsets.UTF_8)));
        return 0;
    }

    private void finish(int code) {
        if (!done) {
            done = true;
            mode = Mode.FINISHED;
            terminal.exit(code);
        }
    }

    private static String base(String program) {
        return program.substring(program.lastIndexOf('/') + 1);
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    /** Splits on blanks, keeping single- or double-quoted words together. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(current.toString());
        }
        return words;
    }
}
