package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}) confined to one folder: its configuration, pid file, logs, temp and
 * cache folders all live under {@code dir}, and it runs in the foreground as a child of the test. The caller
 * gives what goes inside {@code http { }} (upstreams, cache paths, servers); this class adds what Debian's
 * {@code /etc/nginx/nginx.conf} would around it. As root, workers would drop to {@code nobody}, who cannot enter
 * a test's private temp folder: they stay root instead ({@code user root;}), which only a test may do.
 */
public final class NginxServer implements AutoCloseable {
    public static final Path NGINX = Paths.get("/usr/sbin/nginx");
    /** Per request: where nginx sent it and what its cache did; {@link #accessLog()} reads these lines. */
    public static final String LOG_FORMAT = "log_format upstreams '$request_method $request_uri $status"
            + " upstream=$upstream_addr upstream_status=$upstream_status cache=$upstream_cache_status bytes=$body_bytes_sent';";

    private final Path dir;
    private final int port;
    private Process process;
    private String http;

    private NginxServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts nginx with {@code http} (the inside of the {@code http} block, which must listen on {@link #port()}:
     * {@code configure} receives the chosen port) and returns once it accepts connections.
     */
    public static NginxServer start(Path dir, HttpConfig configure) throws IOException, InterruptedException {
        if (!Files.isExecutable(NGINX)) {
            throw new AssertionError("nginx is missing: install Debian's nginx (.ci/run does)");
        }
        NginxServer server = new NginxServer(Files.createDirectories(dir), freePort());
        server.http = configure.http(server.port, dir);
        server.launch();
        return server;
    }

    /** The inside of the {@code http} block for a server listening on 127.0.0.1:{@code port}. */
    public interface HttpConfig {
        String http(int port, Path dir) throws IOException;
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Path dir() {
        return dir;
    }

    /** The access log so far, one {@link #LOG_FORMAT} line per finished request. */
    public List<String> accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e + ")";
        }
    }

    /**
     * Writes a new {@code http} block, checks it and has the running nginx load it ({@code nginx -s reload}), as an
     * operator would; new requests see it once the new workers run, within a moment.
     */
    public void reload(String newHttp) throws IOException, InterruptedException {
        this.http = newHttp;
        Path conf = writeConfiguration();
        for (String check : List.of("-t", "-s")) {
            List<String> command = new java.util.ArrayList<>(List.of(NGINX.toString(), "-p", dir.toString(), "-e",
                    dir.resolve("error.log").toString(), "-c", conf.toString(), check));
            if (check.equals("-s")) {
                command.add("reload");
            }
            run(command);
        }
    }

    private void launch() throws IOException, InterruptedException {
        Path conf = writeConfiguration();
        process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start();
        try {
            Eventually.within(Duration.ofSeconds(30)).describing(this::errorLog).until("nginx to listen on " + port, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("nginx exited with " + process.exitValue() + ":\n"
                            + Files.readString(dir.resolve("nginx.out")) + "\nconfiguration:\n" + Files.readString(conf));
                }
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return true;
                }
            });
        } catch (AssertionError e) {
            close();
            throw e;
        }
    }

    private Path writeConfiguration() throws IOException {
        String root = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = root + "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "  " + LOG_FORMAT + "\n"
                + "  access_log " + dir.resolve("access.log") + " upstreams;\n"
                + "  client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  types { application/zip zip; text/plain mod; application/json info; }\n"
                + http
                + "\n}\n";
        return Files.writeString(dir.resolve("nginx.conf"), conf);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
    }

    /** Stops nginx (SIGTERM: workers end at once) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
