package com.gitblit.plugin.goproxy.testing;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Gitblit (GO mode, {@code com.gitblit.GitBlitServer}) in a child JVM, for integration tests: 1.9.3, or
 * the version the failsafe execution names ({@link #hostVersion()}; 1.10.0 in execution "gitblit-1.10").
 *
 * <p>This class owns the process and delegates each job to one class: {@link GitblitProcess} (the JVM, readiness,
 * stop), {@link GitblitDataFolder} (settings, users, key stores, plugins before start), {@link GitblitHttp} (URLs
 * and a client trusting the test CA), {@link GitblitRpc} (admin JSON RPC) and {@link GitblitPush} (git over
 * HTTP(S)); {@link GitblitRuntime} finds the files each Gitblit version needs.
 *
 * <p>Rules it keeps:
 * <ul>
 * <li>Never in the test JVM: GitBlitServer calls {@code System.exit} and keeps static state, and its
 *     library graph (JGit 4.5.7/4.11.9, Jetty 9.2/9.4, Guava, log4j) must not meet ours. Its classpath is the
 *     one Maven resolved from {@code test-fixtures/gitblit-runtime/pom.xml} for that version (system property
 *     {@code gitblit.runtime.classpath}, written by {@code mvn verify} before the integration tests).</li>
 * <li>A fresh data folder per instance under {@code target/gitblit/<version>/<name>/data}: Gitblit's own
 *     {@code defaults.properties} (taken from the gitblit jar), the test overrides in
 *     {@code test-fixtures/gitblit-runtime/gitblit.properties}, then this instance's settings
 *     (ports, HTTPS store, plugin settings), a {@code users.conf} with {@code admin}/{@code admin} and
 *     the builder's users, and the plugin zip in {@code plugins/} before start (Gitblit collects plugin
 *     filters once, at start).</li>
 * <li>HTTP and HTTPS on free loopback ports; HTTPS serves the {@link TestPki} server certificate
 *     (Gitblit reads {@code serverKeyStore.jks} in the base folder, password {@code server.storePassword},
 *     alias {@code server.certificateAlias}); clients trust {@link #caPem()}.</li>
 * <li>Ready when {@code GET /} answers 200 on both ports; a 503 (the web app failed, e.g. a plugin
 *     without {@code extensions.idx}) or a dead JVM fails at once with the log tail. Everything the JVM
 *     prints goes to {@code target/gitblit/<version>/<name>/gitblit.log}.</li>
 * <li>{@link #close()} sends SIGTERM (Jetty stops cleanly) and waits; a JVM that hangs is killed. A
 *     test JVM that exits without closing still stops its Gitblits (shutdown hook), so no orphan keeps
 *     ports or files.</li>
 * </ul>
 *
 * <pre>{@code
 * try (GitblitInstance gitblit = GitblitInstance.builder("my-it").goProxyPlugin()
 *         .user("alice", "secret").pluginSetting("someSetting", "value").start()) {
 *     gitblit.createRepository("team/lib.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
 *     gitblit.setUserPermission("team/lib.git", "alice", Permission.CLONE);
 *     gitblit.push(localRepo, "team/lib.git", GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
 *     // go with GOPROXY=gitblit.httpsUrl() + "/go", SSL_CERT_FILE=gitblit.caPem(), .netrc for alice
 * }
 * }</pre>
 */
public final class GitblitInstance implements AutoCloseable {
    /**
     * JUnit tag of the integration tests that run against every Gitblit version (plugin-src/it/pom.xml: failsafe execution
     * "gitblit-1.10" runs the tagged classes once more with Gitblit 1.10.0).
     */
    public static final String EVERY_VERSION = "gitblit-host";

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /** Who may read a repository (Gitblit's {@code AccessRestrictionType}, weakest first). */
    public enum Restriction { NONE, PUSH, CLONE, VIEW }

    /** Who counts as allowed at or above the restriction (Gitblit's {@code AuthorizationControl}). */
    public enum Authorization { AUTHENTICATED, NAMED }

    /** A per-repository user permission (Gitblit's {@code AccessPermission} and its codes). */
    public enum Permission {
        EXCLUDE("X"), VIEW("V"), CLONE("R"), PUSH("RW"), CREATE("RWC"), DELETE("RWD"), REWIND("RW+");

        final String code;

        Permission(String code) {
            this.code = code;
        }
    }

    private final Path home;
    private final GitblitDataFolder dataFolder;
    private final Path caPem;
    private final TestPki pki;
    private final int sshPort;
    private final GitblitProcess process;
    private final GitblitHttp http;
    private final GitblitRpc rpc;
    private final GitblitPush push;

    private GitblitInstance(Path home, GitblitDataFolder dataFolder, Path caPem, TestPki pki, int httpPort,
            int httpsPort, int sshPort, List<String> command) {
        this.home = home;
        this.dataFolder = dataFolder;
        this.caPem = caPem;
        this.pki = pki;
        this.sshPort = sshPort;
        this.process = new GitblitProcess(command, home, home.resolve("gitblit.log"));
        this.http = new GitblitHttp(httpPort, httpsPort, pki, process::logTail);
        this.rpc = new GitblitRpc(http, process::logTail);
        this.push = new GitblitPush(http, caPem);
    }

    /** A builder for an instance whose files live in {@code target/gitblit/<version>/<name>/} (emptied first). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The Gitblit version this test run starts (system property {@code gitblit.version}, set per failsafe
     * execution; 1.9.3 by default), e.g. for scripts that take the version as a parameter.
     */
    public static String hostVersion() {
        return GitblitRuntime.hostVersion();
    }

    // ------------------------------------------------------------------ the parts, by job

    /** The Gitblit JVM. */
    public GitblitProcess process() {
        return process;
    }

    /** URLs and an HTTP client that trusts the test CA. */
    public GitblitHttp http() {
        return http;
    }

    /** Admin JSON RPC. */
    public GitblitRpc rpcClient() {
        return rpc;
    }

    /** Git over HTTP(S). */
    public GitblitPush pushes() {
        return push;
    }

    // ------------------------------------------------------------------ what a test reads

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public URI httpUrl() {
        return http.httpUrl();
    }

    /** {@code https://127.0.0.1:PORT} (no trailing slash); the certificate is signed by {@link #caPem()}. */
    public URI httpsUrl() {
        return http.httpsUrl();
    }

    /** The test CA as PEM, for {@code SSL_CERT_FILE}, {@code curl --cacert} and {@code git -c http.sslCAInfo}. */
    public Path caPem() {
        return caPem;
    }

    public TestPki pki() {
        return pki;
    }

    /** Gitblit's SSH port on 127.0.0.1 ({@link Builder#ssh()}), or 0 when SSH is off. */
    public int sshPort() {
        return sshPort;
    }

    /** The process id of the Gitblit JVM (for {@code /proc/<pid>/fd} and {@code /proc/<pid>/task}). */
    public long pid() {
        return process.pid();
    }

    /** Gitblit's base folder ({@code --baseFolder}): settings, users.conf, git/, plugins/. */
    public Path baseFolder() {
        return dataFolder.base();
    }

    /** Where repositories live ({@code git.repositoriesFolder}). */
    public Path repositoriesFolder() {
        return dataFolder.base().resolve("git");
    }

    /** Everything the Gitblit JVM printed. */
    public Path logFile() {
        return process.logFile();
    }

    /** The folder holding this instance's files, for a test's own scratch files. */
    public Path home() {
        return home;
    }

    /** From {@code java} start to the first 200 on both ports (of the latest start). */
    public Duration startupTime() {
        return process.startupTime();
    }

    /** An HTTP client (HTTP/1.1, no redirects) that trusts the test CA. */
    public HttpClient httpClient() {
        return http.client();
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        return process.logTail();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    // ------------------------------------------------------------------ HTTP helpers

    /** GET {@code base + path} without credentials. */
    public HttpResponse<String> get(URI base, String path) {
        return http.get(base, path);
    }

    /** GET {@code base + path} with Basic credentials. */
    public HttpResponse<String> get(URI base, String path, String user, String password) {
        return http.get(base, path, user, password);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return http.send(request);
    }

    // ------------------------------------------------------------------ JSON RPC (as admin)

    /** Creates a bare repository ({@code name} like {@code team/lib.git}) with the given access rules. */
    public void createRepository(String name, Restriction restriction, Authorization authorization,
            Map<String, String> customFields) {
        rpc.createRepository(name, restriction, authorization, customFields);
    }

    /** Creates a local account (RPC {@code CREATE_USER}); for accounts known before start see {@link Builder#user}. */
    public void createUser(String username, String password) {
        rpc.createUser(username, password);
    }

    /** Gives {@code username} an explicit permission on {@code repository} (RPC {@code SET_REPOSITORY_MEMBER_PERMISSIONS}). */
    public void setUserPermission(String repository, String username, Permission permission) {
        rpc.setUserPermission(repository, username, permission);
    }

    /** Repository models as Gitblit's RPC {@code LIST_REPOSITORIES} returns them (keyed by clone URL). */
    public JsonObject listRepositories() {
        return rpc.listRepositories();
    }

    /** One admin RPC call; returns the response body, fails unless 200. */
    public String rpc(String request, String name, String jsonBody) {
        return rpc.call(request, name, jsonBody);
    }

    // ------------------------------------------------------------------ git over HTTP(S)

    /** The clone URL of {@code repository} ({@code team/lib.git}) over HTTPS, without credentials. */
    public String cloneUrl(String repository) {
        return push.cloneUrl(repository);
    }

    /**
     * Pushes every branch and tag of the local repository {@code localRepo} to {@code repository} on this
     * Gitblit over HTTPS with the given credentials ({@link GitblitPush}: about 2.5 s each on Gitblit 1.9.3).
     */
    public void push(Path localRepo, String repository, String user, String password) {
        push.push(httpsUrl(), localRepo, repository, user, password);
    }

    /** The same over {@code base}, {@link #httpUrl()} or {@link #httpsUrl()}. */
    public void push(URI base, Path localRepo, String repository, String user, String password) {
        push.push(base, localRepo, repository, user, password);
    }

    /** The git CLI configured to trust this instance's HTTPS certificate. */
    public GitCli git() {
        return push.git();
    }

    // ------------------------------------------------------------------ start, restart, stop

    /**
     * Stops and starts Gitblit again on the same data folder and ports, e.g. after changing
     * {@code gitblit.properties} or to check what survives a restart. A changed plugin zip in
     * {@code plugins/} is only expanded again if its folder is deleted first (pf4j compares dates).
     */
    public void restart() {
        close();
        launch();
    }

    /** Stops Gitblit: SIGTERM, wait, then kill if it hangs. */
    @Override
    public void close() {
        process.close();
    }

    private void launch() {
        List<URI> ready = new ArrayList<>();
        ready.add(httpUrl().resolve("/"));
        if (http.httpsPort() > 0) {
            ready.add(httpsUrl().resolve("/"));
        }
        process.start(http.client(), ready);
        System.out.println("Gitblit " + hostVersion() + " in " + home + " ready in " + startupTime().toMillis() + " ms: "
                + httpUrl() + " " + httpsUrl() + " (log: " + logFile() + ")");
    }

    // ------------------------------------------------------------------ builder

    /** Everything that must be in place before Gitblit starts. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<Path> plugins = new ArrayList<>();
        private TestPki pki;
        private String maxHeap = "384m";
        private int fixedHttpsPort;
        private boolean ssh;
        private boolean https = true;
        private String gitblitVersion;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("instance name must be a simple file name: " + name);
            }
            this.name = name;
        }

        /** Installs this plugin zip in {@code plugins/} before start. */
        public Builder plugin(Path zip) {
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException("no plugin zip at " + zip + " (built by `mvn package`)");
            }
            plugins.add(zip);
            return this;
        }

        /** Installs our plugin zip, {@code target/goproxy-<version>.zip} (system property {@code goproxy.plugin.zip}). */
        public Builder goProxyPlugin() {
            return plugin(Paths.get(GitblitRuntime.required("goproxy.plugin.zip", "the path of the built plugin zip")));
        }

        /** A local account in users.conf (plaintext password; Gitblit accepts it). */
        public Builder user(String username, String password) {
            if (ADMIN.equals(username)) {
                throw new IllegalArgumentException("admin exists already (password " + ADMIN_PASSWORD + ")");
            }
            users.put(username, password);
            return this;
        }

        /** A gitblit.properties setting (wins over defaults and the test overrides). */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /** A setting of our plugin: {@code <Plugin-Id>.<name>}, the id read from plugin.properties. */
        public Builder pluginSetting(String name, String value) {
            return setting(GitblitRuntime.pluginId() + "." + name, value);
        }

        /** The CA and server certificate for HTTPS (default: a new {@link TestPki}). */
        public Builder pki(TestPki pki) {
            this.pki = pki;
            return this;
        }

        /**
         * Serves HTTPS on this port instead of a free one, e.g. 443 for tests where the go command must reach
         * {@code https://127.0.0.1/...} (go-get discovery uses the default port). Ports below 1024 need root.
         */
        public Builder httpsPort(int port) {
            this.fixedHttpsPort = port;
            return this;
        }

        /**
         * No HTTPS port: plain HTTP only. Gitblit 1.10.0 (Jetty 9.4) refuses the test key store with "KeyStores
         * with multiple certificates are not supported on the base class SslContextFactory" and exits.
         */
        public Builder withoutHttps() {
            this.https = false;
            return this;
        }

        /** Gitblit's SSH daemon on a free loopback port (off by default); see {@link GitblitSsh}. */
        public Builder ssh() {
            this.ssh = true;
            return this;
        }

        /**
         * Runs this Gitblit version instead of the default one: its runtime classpath is read from system property
         * {@code gitblit.runtime.classpath.<version>}, else {@code target/gitblit-runtime-<version>/classpath.txt}.
         */
        public Builder gitblitVersion(String version) {
            this.gitblitVersion = version;
            return this;
        }

        /** Gitblit's -Xmx (default 384m). */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** Prepares the data folder, starts Gitblit and waits until it serves; retries once on a port clash. */
        public GitblitInstance start() {
            TestPki certs = pki != null ? pki : TestPki.create();
            try {
                return startOnce(certs);
            } catch (GitblitProcess.PortClash e) {
                return startOnce(certs);
            }
        }

        private GitblitInstance startOnce(TestPki certs) {
            try {
                Path home = GitblitRuntime.buildDirectory().resolve("gitblit").resolve(hostVersion()).resolve(name)
                        .toAbsolutePath();
                deleteTree(home);
                GitblitDataFolder data = new GitblitDataFolder(Files.createDirectories(home.resolve("data")));
                Path caPem = certs.writeCaPem(home.resolve("ca.pem"));
                List<String> classpath = GitblitRuntime.classpath(gitblitVersion);
                int[] ports = freePorts(3);
                int sshPort = ssh ? ports[2] : 0;
                if (!https) {
                    ports[1] = 0;
                } else if (fixedHttpsPort > 0) {
                    ports[1] = fixedHttpsPort;
                }
                data.write(classpath, ports[0], ports[1], settings, users, certs, plugins);

                List<String> command = new ArrayList<>(Arrays.asList(
                        GitblitRuntime.javaExecutable(), "-Xmx" + maxHeap, "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        // Guice 4.0 (cglib) defines classes through ClassLoader.defineClass: Java 9+ needs this.
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "-cp", String.join(java.io.File.pathSeparator, classpath),
                        "com.gitblit.GitBlitServer",
                        "--baseFolder", data.base().toString(),
                        "--httpPort", Integer.toString(ports[0]),
                        "--httpsPort", Integer.toString(ports[1]),
                        "--gitPort", "0", "--sshPort", Integer.toString(sshPort), "--shutdownPort", "0"));
                GitblitInstance instance = new GitblitInstance(home, data, caPem, certs, ports[0], ports[1], sshPort,
                        command);
                instance.launch();
                return instance;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare Gitblit '" + name + "'", e);
            }
        }
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
