package com.gitblit.plugin.goproxy.testing;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Gitblit (GO mode, {@code com.gitblit.GitBlitServer}) in a child JVM, for integration tests: 1.9.3, or
 * the version the failsafe execution names ({@link #hostVersion()}; 1.10.0 in execution "gitblit-1.10").
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

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final String KEYSTORE_ALIAS = "goproxy-test";
    private static final int LOG_TAIL_LINES = 60;

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
    private final Path baseFolder;
    private final Path logFile;
    private final Path caPem;
    private final TestPki pki;
    private final int httpPort;
    private final int httpsPort;
    private final int sshPort;
    private final List<String> command;
    private final HttpClient client;
    private final Gson gson = new Gson();
    private Process process;
    private Duration startupTime;
    private Thread shutdownHook;

    private GitblitInstance(Path home, Path baseFolder, Path logFile, Path caPem, TestPki pki, int httpPort,
            int httpsPort, int sshPort, List<String> command) {
        this.home = home;
        this.baseFolder = baseFolder;
        this.logFile = logFile;
        this.caPem = caPem;
        this.pki = pki;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.sshPort = sshPort;
        this.command = List.copyOf(command);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .sslContext(sslContext(pki))
                .build();
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
        return System.getProperty("gitblit.version", "1.9.3");
    }

    // ------------------------------------------------------------------ what a test reads

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** {@code https://127.0.0.1:PORT} (no trailing slash); the certificate is signed by {@link #caPem()}. */
    public URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + httpsPort);
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
        return baseFolder;
    }

    /** Where repositories live ({@code git.repositoriesFolder}). */
    public Path repositoriesFolder() {
        return baseFolder.resolve("git");
    }

    /** Everything the Gitblit JVM printed. */
    public Path logFile() {
        return logFile;
    }

    /** The folder holding this instance's files, for a test's own scratch files. */
    public Path home() {
        return home;
    }

    /** From {@code java} start to the first 200 on both ports (of the latest start). */
    public Duration startupTime() {
        return startupTime;
    }

    /** An HTTP client (HTTP/1.1, no redirects) that trusts the test CA. */
    public HttpClient httpClient() {
        return client;
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        return tail(logFile, LOG_TAIL_LINES);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    // ------------------------------------------------------------------ HTTP helpers

    /** GET {@code base + path} without credentials. */
    public HttpResponse<String> get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** GET {@code base + path} with Basic credentials. */
    public HttpResponse<String> get(URI base, String path, String user, String password) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET()
                .header("Authorization", basic(user, password)).build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed; Gitblit log tail:\n"
                    + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ JSON RPC (as admin)

    /** Creates a bare repository ({@code name} like {@code team/lib.git}) with the given access rules. */
    public void createRepository(String name, Restriction restriction, Authorization authorization,
            Map<String, String> customFields) {
        JsonObject model = new JsonObject();
        model.addProperty("name", name);
        model.addProperty("isBare", true);
        model.addProperty("accessRestriction", restriction.name());
        model.addProperty("authorizationControl", authorization.name());
        if (customFields != null && !customFields.isEmpty()) {
            JsonObject fields = new JsonObject();
            customFields.forEach(fields::addProperty);
            model.add("customFields", fields);
        }
        rpc("CREATE_REPOSITORY", null, model.toString());
    }

    /** Creates a local account (RPC {@code CREATE_USER}); for accounts known before start see {@link Builder#user}. */
    public void createUser(String username, String password) {
        JsonObject user = new JsonObject();
        user.addProperty("username", username);
        user.addProperty("password", password);
        user.addProperty("isAuthenticated", true);
        user.addProperty("accountType", "LOCAL");
        user.add("repositories", new JsonArray());
        user.add("permissions", new JsonObject());
        user.add("teams", new JsonArray());
        rpc("CREATE_USER", null, user.toString());
    }

    /** Gives {@code username} an explicit permission on {@code repository} (RPC {@code SET_REPOSITORY_MEMBER_PERMISSIONS}). */
    public void setUserPermission(String repository, String username, Permission permission) {
        JsonObject entry = new JsonObject();
        entry.addProperty("registrant", username);
        entry.addProperty("permission", permission.code);
        entry.addProperty("registrantType", "USER");
        entry.addProperty("permissionType", "EXPLICIT");
        entry.addProperty("mutable", true);
        JsonArray list = new JsonArray();
        list.add(entry);
        String answer = rpc("SET_REPOSITORY_MEMBER_PERMISSIONS", repository, list.toString());
        if (!"true".equals(answer.trim())) {
            throw new IllegalStateException("Gitblit did not set " + username + " " + permission + " on " + repository
                    + ": " + answer);
        }
    }

    /** Repository models as Gitblit's RPC {@code LIST_REPOSITORIES} returns them (keyed by clone URL). */
    public JsonObject listRepositories() {
        return gson.fromJson(rpc("LIST_REPOSITORIES", null, null), JsonObject.class);
    }

    /** One admin RPC call; returns the response body, fails unless 200. */
    public String rpc(String request, String name, String jsonBody) {
        StringBuilder path = new StringBuilder("/rpc/?req=").append(request);
        if (name != null) {
            path.append("&name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(httpUrl().resolve(path.toString()))
                .header("Authorization", basic(ADMIN, ADMIN_PASSWORD))
                // Without this Jetty reads the body as form parameters and the RPC servlet fails.
                .header("Content-Type", "application/json; charset=utf-8");
        b = jsonBody == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        HttpResponse<String> rsp = send(b.build());
        if (rsp.statusCode() != 200) {
            throw new IllegalStateException("Gitblit RPC " + request + (name == null ? "" : " " + name) + " answered "
                    + rsp.statusCode() + ": " + rsp.body() + "\nGitblit log tail:\n" + logTail());
        }
        return rsp.body();
    }

    // ------------------------------------------------------------------ git over HTTP(S)

    /** The clone URL of {@code repository} ({@code team/lib.git}) over HTTPS, without credentials. */
    public String cloneUrl(String repository) {
        return httpsUrl() + "/r/" + repository;
    }

    /**
     * Pushes every branch and tag of the local repository {@code localRepo} to {@code repository} on this
     * Gitblit over HTTPS with the given credentials, using the git CLI (a missing repository is created
     * by Gitblit when the user may create it). Each push takes about 2.5 s: Gitblit 1.9.3 writes its
     * reflog right after the pack, and JGit 4.5 keeps rescanning the just-written pack meanwhile (seen in
     * thread dumps; its racy-file window). Pushes to different repositories may run in parallel.
     */
    public void push(Path localRepo, String repository, String user, String password) {
        push(httpsUrl(), localRepo, repository, user, password);
    }

    /** The same over {@code base}, {@link #httpUrl()} or {@link #httpsUrl()}. */
    public void push(URI base, Path localRepo, String repository, String user, String password) {
        String url = base.getScheme() + "://" + enc(user) + ":" + enc(password) + "@" + base.getAuthority() + "/r/"
                + repository;
        git().run(localRepo, "push", "--porcelain", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
    }

    /** The git CLI configured to trust this instance's HTTPS certificate. */
    public GitCli git() {
        return GitCli.isolated().withEnv(Map.of("GIT_SSL_CAINFO", caPem.toString()));
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
        if (process != null && process.isAlive()) {
            stopQuietly(process);
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or has run
            }
            shutdownHook = null;
        }
    }

    private void launch() {
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().remove("GITBLIT_HOME"); // it would win over --baseFolder
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::close, "stop Gitblit in " + home);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        try {
            awaitReady(process, client, httpUrl().resolve("/"), logFile);
            if (httpsPort > 0) {
                awaitReady(process, client, httpsUrl().resolve("/"), logFile);
            }
        } catch (RuntimeException e) {
            stopQuietly(process);
            throw e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("Gitblit " + hostVersion() + " in " + home + " ready in " + startupTime.toMillis() + " ms: " + httpUrl() + " "
                + httpsUrl() + " (log: " + logFile + ")");
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
            return plugin(Paths.get(required("goproxy.plugin.zip", "the path of the built plugin zip")));
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
            return setting(pluginId() + "." + name, value);
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
            } catch (PortClash e) {
                return startOnce(certs);
            }
        }

        private GitblitInstance startOnce(TestPki certs) {
            try {
                Path home = buildDirectory().resolve("gitblit").resolve(hostVersion()).resolve(name).toAbsolutePath();
                deleteTree(home);
                Path base = Files.createDirectories(home.resolve("data"));
                Path logFile = home.resolve("gitblit.log");
                Path caPem = certs.writeCaPem(home.resolve("ca.pem"));
                List<String> classpath = runtimeClasspath(gitblitVersion);
                int[] ports = freePorts(3);
                int sshPort = ssh ? ports[2] : 0;
                if (!https) {
                    ports[1] = 0;
                } else if (fixedHttpsPort > 0) {
                    ports[1] = fixedHttpsPort;
                }
                String storePassword = randomSecret();

                writeSettings(base, classpath, ports, storePassword);
                certs.writeServerKeyStore(base.resolve("serverKeyStore.jks"), "JKS", KEYSTORE_ALIAS, storePassword);
                writeTrustStore(base.resolve("serverTrustStore.jks"), certs, storePassword);
                writeUsers(base.resolve("users.conf"));
                Path pluginsFolder = Files.createDirectories(base.resolve("plugins"));
                for (Path zip : plugins) {
                    Files.copy(zip, pluginsFolder.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }

                List<String> command = new ArrayList<>(Arrays.asList(
                        javaExecutable(), "-Xmx" + maxHeap, "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        // Guice 4.0 (cglib) defines classes through ClassLoader.defineClass: Java 9+ needs this.
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "-cp", String.join(java.io.File.pathSeparator, classpath),
                        "com.gitblit.GitBlitServer",
                        "--baseFolder", base.toString(),
                        "--httpPort", Integer.toString(ports[0]),
                        "--httpsPort", Integer.toString(ports[1]),
                        "--gitPort", "0", "--sshPort", Integer.toString(sshPort), "--shutdownPort", "0"));
                GitblitInstance instance = new GitblitInstance(home, base, logFile, caPem, certs, ports[0], ports[1],
                        sshPort, command);
                instance.launch();
                return instance;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare Gitblit '" + name + "'", e);
            }
        }

        private void writeSettings(Path base, List<String> classpath, int[] ports, String storePassword)
                throws IOException {
            // Gitblit's own defaults, unmodified, from the jar that runs (so they always match its version).
            Path gitblitJar = classpath.stream().map(Paths::get)
                    .filter(p -> p.getFileName().toString().matches("gitblit-[0-9][^/]*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no gitblit-<version>.jar in " + classpathFile()));
            try (JarFile jar = new JarFile(gitblitJar.toFile())) {
                ZipEntry defaults = jar.getEntry("defaults.properties");
                if (defaults == null) {
                    throw new IllegalStateException("no defaults.properties in " + gitblitJar);
                }
                try (InputStream in = jar.getInputStream(defaults)) {
                    Files.copy(in, base.resolve("defaults.properties"));
                }
            }
            StringBuilder props = new StringBuilder();
            props.append(new String(Files.readAllBytes(fixturesDirectory().resolve("gitblit.properties")),
                    StandardCharsets.ISO_8859_1));
            props.append("\n# ---- written by GitblitInstance for this instance ----\n");
            Map<String, String> all = new LinkedHashMap<>();
            all.put("server.httpPort", Integer.toString(ports[0]));
            all.put("server.httpsPort", Integer.toString(ports[1]));
            all.put("server.storePassword", storePassword);
            all.put("server.certificateAlias", KEYSTORE_ALIAS);
            all.putAll(settings);
            for (String key : all.keySet()) {
                // Properties syntax, escaped by Properties itself (one entry at a time keeps our order).
                Properties one = new Properties();
                one.setProperty(key, all.get(key));
                java.io.StringWriter w = new java.io.StringWriter();
                one.store(w, null);
                w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> props.append(l).append('\n'));
            }
            Files.write(base.resolve("gitblit.properties"), props.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** users.conf is a git-config file: values quoted, so '#', ';' and spaces in passwords survive. */
        private void writeUsers(Path file) throws IOException {
            StringBuilder sb = new StringBuilder();
            sb.append("[user ").append(quoted(ADMIN)).append("]\n\tpassword = ").append(quoted(ADMIN_PASSWORD))
                    .append("\n\trole = \"#admin\"\n\trole = \"#notfederated\"\n");
            users.forEach((user, password) -> sb.append("[user ").append(quoted(user)).append("]\n\tpassword = ")
                    .append(quoted(password)).append('\n'));
            Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        }

        private static String quoted(String value) {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("line break in a users.conf value");
            }
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    // ------------------------------------------------------------------ internals

    /** Thrown when Gitblit could not bind a port that was free a moment before. */
    private static final class PortClash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortClash(String message) {
            super(message);
        }
    }

    private static void awaitReady(Process process, HttpClient client, URI uri, Path logFile) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                String tail = tail(logFile, LOG_TAIL_LINES);
                String message = "Gitblit exited with " + process.exitValue() + " before serving " + uri
                        + "; log " + logFile + ":\n" + tail;
                if (tail.contains("Address already in use")) {
                    throw new PortClash(message);
                }
                throw new IllegalStateException(message);
            }
            try {
                HttpResponse<Void> rsp = client.send(probe, HttpResponse.BodyHandlers.discarding());
                if (rsp.statusCode() == 200) {
                    return;
                }
                if (rsp.statusCode() == 503) {
                    throw new IllegalStateException("Gitblit answered 503 on " + uri
                            + ": its web application failed to start (a plugin without META-INF/extensions.idx does this); log "
                            + logFile + ":\n" + tail(logFile, LOG_TAIL_LINES));
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // listening but not answering yet (e.g. TLS not ready); try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Gitblit did not answer 200 on " + uri + " within " + START_TIMEOUT
                        + "; log " + logFile + ":\n" + tail(logFile, LOG_TAIL_LINES));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void stopQuietly(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static SSLContext sslContext(TestPki pki) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(pki.trustStore());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gitblit's trust store (client certificates), with our CA so it does not import its own. */
    private static void writeTrustStore(Path file, TestPki pki, String password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("JKS");
            ks.load(null, null);
            ks.setCertificateEntry("goproxy-test-ca", pki.caCertificate());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
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

    /**
     * The classpath of {@code version} (null: the default one): {@code gitblit.runtime.classpath.<version>}, else
     * {@code target/gitblit-runtime/classpath-<version>.txt} (where the build resolves every tested version), else
     * the default classpath if it runs that version.
     */
    private static List<String> runtimeClasspath(String version) throws IOException {
        Path file = classpathFile();
        if (version != null) {
            Path own = Paths.get(System.getProperty("gitblit.runtime.classpath." + version,
                    buildDirectory().resolve("gitblit-runtime").resolve("classpath-" + version + ".txt").toString()));
            if (Files.isRegularFile(own) || !Files.isRegularFile(file)
                    || !Files.readString(file).contains("gitblit-" + version + ".jar")) {
                file = own;
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Gitblit's runtime classpath is missing: " + file + ". `mvn verify` writes it"
                    + " before the integration tests (maven-invoker-plugin over test-fixtures/gitblit-runtime/pom.xml);"
                    + " by hand: mvn -f test-fixtures/gitblit-runtime/pom.xml dependency:build-classpath"
                    + " -Dgitblit.version=" + hostVersion() + " -Dmdep.outputFile=" + file.toAbsolutePath());
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        List<String> entries = new ArrayList<>();
        for (String entry : text.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                if (!Files.isRegularFile(Paths.get(entry))) {
                    throw new IllegalStateException("Gitblit runtime jar missing: " + entry + " (listed in " + file
                            + "; re-run `mvn verify`)");
                }
                entries.add(entry);
            }
        }
        return entries;
    }

    private static Path classpathFile() {
        return Paths.get(System.getProperty("gitblit.runtime.classpath",
                buildDirectory().resolve("gitblit-runtime/classpath-" + hostVersion() + ".txt").toString()));
    }

    private static Path buildDirectory() {
        return Paths.get(System.getProperty("goproxy.build.directory", "target")).toAbsolutePath().normalize();
    }

    private static Path fixturesDirectory() {
        return Paths.get(System.getProperty("gitblit.fixtures", "test-fixtures/gitblit-runtime")).toAbsolutePath().normalize();
    }

    private static String pluginId() {
        Path file = Paths.get(System.getProperty("goproxy.plugin.properties", "plugin.properties")).toAbsolutePath().normalize();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String id = p.getProperty("plugin.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("no plugin.id in " + file);
        }
        return id.trim();
    }

    private static String required(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " (" + what + ") is not set; the failsafe"
                    + " configuration in plugin-src/it/pom.xml sets it");
        }
        return value;
    }

    private static String javaExecutable() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String tail(Path file, int lines) {
        try {
            // Lenient decoding: a log is for reading, a stray byte must not hide it.
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
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
