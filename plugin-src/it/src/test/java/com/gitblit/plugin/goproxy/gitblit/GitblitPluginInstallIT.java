package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GitblitSsh;
import com.gitblit.plugin.goproxy.testing.Eventually;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The plugin installed into a running Gitblit the Gitblit way, over Gitblit's own SSH commands, on every Gitblit
 * version named by system property {@code gitblit.versions} (default {@code 1.9.3,1.10.0}; each needs its runtime
 * classpath, see {@link GitblitInstance.Builder#gitblitVersion}). One Gitblit per version goes through:
 * <ol>
 *   <li>{@code plugin install goproxy --version <older>} from a registry file in {@code plugins/} (Gitblit reads
 *       every {@code *.json} there): the release build's plugins.json ({@code test-fixtures/release/plugin-registry.sh}) with
 *       an older release added, the zips and their {@code .sha1} served over HTTP as a registry does: the
 *       plugin says in the log what is active at once and that {@code /go/} needs a restart; until then nothing
 *       of it half-works (no 5xx, Gitblit answers {@code /go/} as any unknown page); the plugin's own SSH command
 *       {@code goproxy status} says the same;</li>
 *   <li>restart: {@code go get} through {@code /go/}; the zip of a version is pinned;</li>
 *   <li>{@code plugin stop} / {@code start} over SSH, three times: stopped, {@code /go/} is Gitblit's and the JVM
 *       has no thread of the proxy and no open file in its data folder ({@code /proc/<pid>/task}, {@code /fd});
 *       started again, the same bytes;</li>
 *   <li>{@code plugin upgrade goproxy} to the current release: no stale expanded folder or zip, one version loaded;
 *       after restart the pinned zip is byte-identical;</li>
 *   <li>{@code plugin uninstall goproxy}: Gitblit's pages and git work as before, the data folder stays and the
 *       log says where; after restart nothing of the plugin loads;</li>
 *   <li>{@code plugin install <url>}: after restart {@code go get} works and the pinned zip is still the same
 *       (the ledger stayed in the data folder).</li>
 * </ol>
 * The older release is the current zip with a lower {@code Plugin-Version} in its manifest. HTTP only: nothing
 * here needs credentials, and Gitblit 1.10.0 does not start with the harness's HTTPS key store.
 */
@RequiresGo
class GitblitPluginInstallIT {
    private static final String NS = "git.example.com";
    private static final String REPO = "team/lib.git";
    private static final String MODULE = NS + "/team/lib";
    private static final String ZIP = "/go/" + MODULE + "/@v/v1.0.0.zip";
    private static final String OLDER = "0.0.1";
    private static final int STOP_START_CYCLES = 3;

    static List<String> versions() {
        List<String> list = new ArrayList<>();
        for (String v : System.getProperty("gitblit.versions", "1.9.3,1.10.0").split(",")) {
            if (!v.isBlank()) {
                list.add(v.trim());
            }
        }
        return list;
    }

    @ParameterizedTest(name = "Gitblit {0}")
    @MethodSource("versions")
    void installUpgradeUninstallOverSsh(String gitblitVersion) throws Exception {
        String current = pluginVersion();
        Path zip = Paths.get(System.getProperty("goproxy.plugin.zip")).toAbsolutePath().normalize();
        try (GitblitInstance gitblit = GitblitInstance.builder("install-" + gitblitVersion)
                .gitblitVersion(gitblitVersion).ssh().withoutHttps().pluginSetting("moduleHost", NS).start();
                Registry registry = Registry.serve(gitblit.home().resolve("registry"))) {
            GitblitSsh ssh = GitblitSsh.admin(gitblit);
            Path pluginsFolder = gitblit.baseFolder().resolve("plugins");
            Path dataFolder = gitblit.baseFolder().resolve("goproxy");
            // The current release as the release build publishes it (test-fixtures/release/plugin-registry.sh), plus an older one.
            Files.copy(zip, registry.folder().resolve("goproxy-" + current + ".zip"));
            JsonObject published = registry.publish("goproxy-" + current + ".zip");
            registry.add(withPluginVersion(zip, OLDER, registry.folder().resolve("goproxy-" + OLDER + ".zip")));
            published.getAsJsonArray("registrations").get(0).getAsJsonObject().getAsJsonArray("releases")
                    .add(registry.release(OLDER, "2020-01-01T00:00:00Z"));
            Files.writeString(pluginsFolder.resolve("goproxy-test-registry.json"), published.toString());

            gitblit.createRepository(REPO, Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
            Path work = gitblit.home().resolve("work");
            LocalRepo.module(Files.createDirectories(work.resolve("lib")), MODULE, "v1.0.0")
                    .pushTo(gitblit.repositoriesFolder().resolve(REPO));
            assertGitblitAsBefore(gitblit, work, "before the plugin");
            assertTrue(ssh.ok("plugin", "available").contains("goproxy"), "the registry file is read");

            // 1. install from the registry, while Gitblit runs
            long logMark = logSize(gitblit);
            assertEquals("Installed goproxy", ssh.ok("plugin", "install", "goproxy", "--version", OLDER).trim());
            String installLog = logSince(gitblit, logMark);
            assertTrue(installLog.contains("goproxy " + OLDER + ": installed while Gitblit runs"), installLog);
            assertTrue(installLog.contains("Not active until Gitblit restarts: /go/"), installLog);
            assertPluginList(ssh, OLDER);
            String status = ssh.ok("goproxy", "status");
            assertTrue(status.startsWith("running, but not in Gitblit's filter chain: restart Gitblit to activate /go/"),
                    status);
            assertGitblitAnswers(gitblit, ZIP, "installed, before the restart");
            assertGitblitAsBefore(gitblit, work, "installed, before the restart");

            // 2. restart: /go/ is live
            gitblit.restart();
            assertTrue(logSince(gitblit, 0).contains("goproxy: /go/ and go-get discovery are in Gitblit's filter chain"));
            goGet(gitblit, work, "after install");
            byte[] pinned = zipBytes(gitblit);
            status = ssh.ok("goproxy", "status");
            assertTrue(status.startsWith("serving /go/"), status);

            // 3. stop and start over SSH: nothing of the proxy left while stopped
            for (int cycle = 0; cycle < STOP_START_CYCLES; cycle++) {
                assertEquals("Stopped goproxy", ssh.ok("plugin", "stop", "goproxy").trim());
                assertGitblitAnswers(gitblit, ZIP, "stopped, cycle " + cycle);
                // Gitblit offers a stopped plugin's SSH commands no more than its other extensions.
                GitblitSsh.Result gone = ssh.run("goproxy", "status");
                assertTrue(!gone.ok() && gone.stderr().contains("goproxy: not found"), gone.toString());
                // A pool's last worker ends a moment after the pool reports it terminated.
                Eventually.within(Duration.ofSeconds(2)).describing(() -> "threads " + proxyThreads(gitblit))
                        .until("stopped: no threads of the proxy", () -> proxyThreads(gitblit).isEmpty());
                assertEquals(List.of(), openFilesUnder(gitblit, dataFolder), "stopped, cycle " + cycle + ": open files");
                assertEquals("Started goproxy", ssh.ok("plugin", "start", "goproxy").trim());
                assertArrayEquals(pinned, zipBytes(gitblit), "started again, cycle " + cycle);
            }

            // 4. upgrade to the current release
            assertEquals("Upgraded goproxy", ssh.ok("plugin", "upgrade", "goproxy").trim());
            assertEquals(List.of("goproxy-" + current, "goproxy-" + current + ".zip"), pluginFiles(pluginsFolder),
                    "no stale folder or zip of " + OLDER);
            assertPluginList(ssh, current);
            status = ssh.ok("goproxy", "status");
            assertTrue(status.contains("restart Gitblit"), status);
            assertGitblitAnswers(gitblit, ZIP, "upgraded, before the restart");
            gitblit.restart();
            assertPluginList(ssh, current);
            assertArrayEquals(pinned, zipBytes(gitblit), "the pinned version after the upgrade");
            goGet(gitblit, work, "after upgrade");

            // 5. uninstall
            logMark = logSize(gitblit);
            assertEquals("Uninstalled goproxy", ssh.ok("plugin", "uninstall", "goproxy").trim());
            assertTrue(logSince(gitblit, logMark).contains("Its data folder stays at " + dataFolder),
                    logSince(gitblit, logMark));
            assertTrue(Files.isDirectory(com.gitblit.plugin.goproxy.cache.DataFolderFormat.ledger(dataFolder)),
                    "the ledger stays");
            assertEquals(List.of(), pluginFiles(pluginsFolder));
            assertGitblitAnswers(gitblit, ZIP, "uninstalled, before the restart");
            assertGitblitAsBefore(gitblit, work, "uninstalled, before the restart");
            gitblit.restart();
            assertFalse(ssh.ok("plugin", "ls").contains("goproxy"));
            assertGitblitAnswers(gitblit, ZIP, "uninstalled, after the restart");
            assertGitblitAsBefore(gitblit, work, "uninstalled, after the restart");

            // 6. install from a URL
            String url = registry.url("goproxy-" + current + ".zip");
            assertEquals("Installed " + url, ssh.ok("plugin", "install", url).trim());
            gitblit.restart();
            assertPluginList(ssh, current);
            assertArrayEquals(pinned, zipBytes(gitblit), "the pinned version after uninstall and install");
            goGet(gitblit, work, "after install from a URL");
            assertFalse(logSince(gitblit, 0).contains("Exception"), "no exception in the log of the last start");
        }
    }

    // ------------------------------------------------------------------ checks

    /** Gitblit's own answers: its home page, a repository page, git over HTTP. */
    private static void assertGitblitAsBefore(GitblitInstance gitblit, Path work, String when) {
        assertEquals(200, gitblit.get(gitblit.httpUrl(), "/").statusCode(), when + ": home page");
        assertEquals(200, gitblit.get(gitblit.httpUrl(), "/summary/?r=" + REPO).statusCode(), when + ": repository page");
        String refs = gitblit.git().run(work, "ls-remote", "--tags", gitblit.httpUrl() + "/r/" + REPO);
        assertTrue(refs.contains("refs/tags/v1.0.0"), when + ": git over HTTP: " + refs);
    }

    /** While the proxy is not in the chain or stopped, {@code path} is Gitblit's: its 404 page, never a 5xx. */
    private static void assertGitblitAnswers(GitblitInstance gitblit, String path, String when) {
        HttpResponse<String> rsp = gitblit.get(gitblit.httpUrl(), path);
        assertEquals(404, rsp.statusCode(), when + ": " + rsp.body());
        assertTrue(rsp.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
                when + ": Gitblit's page, not the proxy's: " + rsp.headers().map());
    }

    private static void assertPluginList(GitblitSsh ssh, String version) {
        String list = ssh.ok("plugin", "ls");
        long rows = list.lines().filter(l -> l.contains("goproxy")).count();
        assertEquals(1, rows, "one goproxy loaded:\n" + list);
        assertTrue(list.lines().anyMatch(l -> l.contains("goproxy") && l.contains(version) && l.contains("STARTED")),
                list);
    }

    private static void goGet(GitblitInstance gitblit, Path work, String when) {
        GoCommand go = GoCommand.in(work.resolve("go-" + when.replace(' ', '-')))
                .with("GOPROXY", gitblit.httpUrl() + "/go")
                .with("GONOSUMDB", NS);
        Path project = go.newModule("try");
        go.ok(project, "get", MODULE + "@v1.0.0");
        try {
            assertTrue(Files.readString(project.resolve("go.sum")).contains(MODULE + " v1.0.0 h1:"), when);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zipBytes(GitblitInstance gitblit) {
        HttpResponse<byte[]> rsp = send(gitblit, ZIP);
        assertEquals(200, rsp.statusCode());
        return rsp.body();
    }

    private static HttpResponse<byte[]> send(GitblitInstance gitblit, String path) {
        try {
            return gitblit.httpClient().send(HttpRequest.newBuilder(gitblit.httpUrl().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the Gitblit JVM, from /proc

    /** Threads of the Gitblit JVM named like the proxy's (Linux shows a Java thread's name in {@code comm}). */
    private static List<String> proxyThreads(GitblitInstance gitblit) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Paths.get("/proc/" + gitblit.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("goproxy")) {
                        names.add(name);
                    }
                } catch (IOException e) {
                    // the thread ended while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static List<String> openFilesUnder(GitblitInstance gitblit, Path folder) throws IOException {
        String prefix = folder.toRealPath().toString();
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/" + gitblit.pid() + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    // ------------------------------------------------------------------ files

    private static long logSize(GitblitInstance gitblit) throws IOException {
        return Files.size(gitblit.logFile());
    }

    private static String logSince(GitblitInstance gitblit, long offset) throws IOException {
        byte[] all = Files.readAllBytes(gitblit.logFile());
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    /** The plugin's zips and expanded folders in {@code plugins/} (not the checksums Gitblit downloaded). */
    private static List<String> pluginFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("goproxy-") && !n.endsWith(".sha1") && !n.endsWith(".md5")
                            && !n.endsWith(".json"))
                    .sorted().toList();
        }
    }

    private static String pluginVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Paths.get(System.getProperty("goproxy.plugin.properties")).toAbsolutePath().normalize())) {
            p.load(in);
        }
        return p.getProperty("plugin.version").trim();
    }

    /** The plugin zip with another {@code Plugin-Version} in {@code classes/META-INF/MANIFEST.MF}: an older release. */
    private static Path withPluginVersion(Path zip, String version, Path target) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); OutputStream file = Files.newOutputStream(target);
                ZipOutputStream out = new ZipOutputStream(file)) {
            boolean found = false;
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("classes/META-INF/MANIFEST.MF")) {
                    String text = new String(data, StandardCharsets.UTF_8);
                    String changed = text.replaceFirst("(?m)^Plugin-Version: .*$", "Plugin-Version: " + version);
                    assertFalse(changed.equals(text), "no Plugin-Version in the manifest");
                    data = changed.getBytes(StandardCharsets.UTF_8);
                    found = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
            assertTrue(found, "no classes/META-INF/MANIFEST.MF in " + zip);
        }
        return target;
    }

    /** A plugin registry as Gitblit reads one: zips with their {@code .sha1} files over HTTP, and plugins.json. */
    private static final class Registry implements AutoCloseable {
        private final Path folder;
        private final HttpServer server;

        private Registry(Path folder, HttpServer server) {
            this.folder = folder;
            this.server = server;
        }

        static Registry serve(Path folder) throws IOException {
            Files.createDirectories(folder);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                Path file = folder.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    byte[] body = Files.readAllBytes(file);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            return new Registry(folder, server);
        }

        Path folder() {
            return folder;
        }

        String url(String file) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
        }

        /** Publishes a release zip: its SHA-1 beside it, as Gitblit checks downloads against {@code <url>.sha1}. */
        void add(Path zip) throws Exception {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            String hex = HexFormat.of().formatHex(sha1.digest(Files.readAllBytes(zip)));
            Files.writeString(zip.resolveSibling(zip.getFileName() + ".sha1"), hex + "\n");
        }

        /**
         * Runs the release build's registry script on a zip in this folder, dated 2021-01-01 (after {@link #OLDER}:
         * Gitblit offers the release with the latest date), and returns the plugins.json it wrote.
         */
        JsonObject publish(String zipName) throws Exception {
            Path script = Paths.get(System.getProperty("goproxy.plugin.properties")).toAbsolutePath().normalize().getParent()
                    .resolve("test-fixtures/release/plugin-registry.sh");
            ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), folder.resolve(zipName).toString(),
                    System.getProperty("goproxy.plugin.properties"), "base-url=" + url(""), "project-url=")
                    .redirectErrorStream(true);
            pb.environment().put("SOURCE_DATE_EPOCH", "1609459200");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(Files.isRegularFile(folder.resolve(zipName + ".sha1")), out);
            return new JsonParser().parse(Files.readString(folder.resolve("plugins.json"))).getAsJsonObject();
        }

        JsonObject release(String version, String date) {
            JsonObject r = new JsonObject();
            r.addProperty("version", version);
            r.addProperty("date", date);
            r.addProperty("requires", "1.9.3");
            r.addProperty("url", url("goproxy-" + version + ".zip"));
            return r;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
