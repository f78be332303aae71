package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import com.gitblit.Constants.AccessRestrictionType;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.manager.IRuntimeManager;
import com.gitblit.plugin.goproxy.testing.GitCli;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ro.fortsoft.pf4j.DefaultPluginDescriptorFinder;
import ro.fortsoft.pf4j.PluginClasspath;
import ro.fortsoft.pf4j.PluginDescriptor;
import ro.fortsoft.pf4j.PluginWrapper;

/**
 * The plugin's stopped state and restart, driven in-process the way Gitblit drives them: pf4j reads the descriptor
 * from a real {@code classes/META-INF/MANIFEST.MF}, the plugin object gets Guice member injection
 * ({@code PluginManager.GuicePluginFactory}), the filter is created by the injector and initialised by the
 * container once (as {@code ProxyFilter.init} does), then {@code start()}/{@code stop()} are called as
 * {@code plugin start|stop} over SSH makes pf4j call them, while the filter stays in the chain.
 *
 * <p>Faithful in what it counts: threads of this JVM and file descriptors ({@code /proc/self/fd}) pointing into
 * the data folder and the repositories. Not covered here: the class loader Gitblit closes after uninstall, and
 * Gitblit's own plugin manager; {@code GitblitPluginInstallIT} does those on a real Gitblit.
 */
class GoProxyLifecycleTest {
    private static final String NS = "git.example.com";
    private static final String ZIP = "/go/" + NS + "/team/lib/@v/v1.0.0.zip";
    private static final int CYCLES = 5;

    @TempDir
    Path base;
    private Server jetty;
    private GoProxyPlugin plugin;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @AfterEach
    void tearDown() throws Exception {
        if (plugin != null) {
            plugin.stop();
        }
        if (jetty != null) {
            jetty.stop();
        }
    }

    /** Threads that other tests' services left idling in this JVM before this test began: not this test's. */
    private static final java.util.Set<Thread> EARLIER = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    @org.junit.jupiter.api.BeforeEach
    void rememberEarlierThreads() {
        EARLIER.clear();
        EARLIER.addAll(Thread.getAllStackTraces().keySet());
    }

    @Test
    void aStartStopLoopLeavesNoThreadOrFileAndRereadsTheSettings() throws Exception {
        FakeGitblit gitblit = new FakeGitblit(base.toFile());
        gitblit.settings.with(PluginSettings.MODULE_HOST, NS);
        gitblit.repository("team/lib.git", AccessRestrictionType.PUSH, "true");
        Path bare = base.resolve("git/team/lib.git");
        GitCli.isolated().run(base, "init", "-q", "--bare", bare.toString());
        LocalRepo.module(Files.createDirectories(base.resolve("work")), NS + "/team/lib", "v1.0.0").pushTo(bare);
        when(gitblit.repositories.getRepository(eq("team/lib.git"), anyBoolean()))
                .thenAnswer(call -> new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build());

        Injector injector = gitblitLikeInjector(gitblit);
        plugin = new GoProxyPlugin(new PluginWrapper(descriptor(), "/goproxy-0.1.0", null));
        injector.injectMembers(plugin);
        plugin.start(); // Gitblit starts plugins before its web application collects their filters
        assertTrue(plugin.runtime.statusReport().startsWith("running, but not in Gitblit's filter chain: restart"
                + " Gitblit to activate /go/"), plugin.runtime.statusReport());
        URI root = startJetty(injector.getInstance(GoProxyFilter.class));
        assertTrue(plugin.runtime.filterInChain(), "the container initialised the filter");
        assertTrue(plugin.runtime.statusReport().startsWith("serving /go/"), plugin.runtime.statusReport());

        byte[] first = null;
        List<String> threadsAfterFirstStop = null;
        int filesAfterFirstStop = -1;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            // Each start re-reads the settings: the data folder moves on every cycle.
            Path data = base.resolve("data-" + cycle);
            when(gitblit.runtime.getFileOrFolder(eq(PluginSettings.DATA_FOLDER), anyString())).thenReturn(data.toFile());
            if (cycle > 0) {
                plugin.start();
            }
            HttpResponse<byte[]> zip = get(root, ZIP);
            assertEquals(200, zip.statusCode(), "cycle " + cycle);
            if (first == null) {
                first = zip.body();
            }
            assertArrayEquals(first, zip.body(), "cycle " + cycle + ": the same bytes every time");
            assertEquals("v1.0.0\n", new String(get(root, "/go/" + NS + "/team/lib/@v/list").body(), StandardCharsets.UTF_8));
            if (cycle > 0) {
                assertTrue(hasFiles(data), "cycle " + cycle + ": the proxy uses the data folder of this start, " + data);
            }

            plugin.stop();

            assertTrue(plugin.runtime.statusReport().startsWith("stopped"), plugin.runtime.statusReport());
            assertEquals(List.of(), proxyThreads(), "cycle " + cycle + ": no thread of the proxy after stop");
            assertEquals(List.of(), openFilesUnder(base), "cycle " + cycle + ": no file of the proxy open after stop");
            HttpResponse<byte[]> passed = get(root, ZIP);
            assertEquals(404, passed.statusCode(), "cycle " + cycle);
            assertEquals("gitblit: " + ZIP, new String(passed.body(), StandardCharsets.UTF_8),
                    "cycle " + cycle + ": stopped, the filter passes /go/ on to Gitblit");
            assertEquals("gitblit: /team/lib", new String(get(root, "/team/lib?go-get=1").body(), StandardCharsets.UTF_8),
                    "cycle " + cycle + ": and go-get discovery");
            List<String> threads = otherThreads();
            int files = openRegularFiles();
            if (cycle == 0) {
                threadsAfterFirstStop = threads;
                filesAfterFirstStop = files;
            } else {
                assertTrue(threadsAfterFirstStop.containsAll(threads), "cycle " + cycle + ": new threads "
                        + threads + " after the first stop " + threadsAfterFirstStop);
                assertTrue(files <= filesAfterFirstStop, "cycle " + cycle + ": open files grew from "
                        + filesAfterFirstStop + " to " + files);
            }
        }
        assertFalse(plugin.runtime.isRunning());
        plugin = null;
    }

    @Test
    void beforeItsFirstStartTheFilterPassesEverythingOn() throws Exception {
        FakeGitblit gitblit = new FakeGitblit(base.toFile());
        gitblit.settings.with(PluginSettings.MODULE_HOST, NS);
        Injector injector = gitblitLikeInjector(gitblit);
        URI root = startJetty(injector.getInstance(GoProxyFilter.class));
        assertEquals("gitblit: " + ZIP, new String(get(root, ZIP).body(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(base.resolve("goproxy")), "nothing created before start");
    }

    @Test
    void installPreparesTheDataFolderAndUninstallLeavesIt() throws Exception {
        FakeGitblit gitblit = new FakeGitblit(base.toFile());
        Injector injector = gitblitLikeInjector(gitblit);
        plugin = new GoProxyPlugin(new PluginWrapper(descriptor(), "/goproxy-0.1.0", null));
        injector.injectMembers(plugin);
        plugin.onInstall(); // Gitblit: download, load, onInstall, start
        assertTrue(Files.isDirectory(base.resolve("goproxy")));
        plugin.start();
        assertTrue(plugin.runtime.isRunning());
        plugin.onUninstall(); // Gitblit: onUninstall, then pf4j stops and deletes the plugin
        plugin.stop();
        assertTrue(Files.isDirectory(base.resolve("goproxy")), "the data folder stays");
        assertEquals(List.of(), proxyThreads());
        plugin = null;
    }

    @Test
    void aDataFolderThatCannotBePreparedKeepsTheServiceClosedAndGoAnswers503() throws Exception {
        FakeGitblit gitblit = new FakeGitblit(base.toFile());
        gitblit.settings.with(PluginSettings.MODULE_HOST, NS);
        Path notAFolder = Files.writeString(base.resolve("goproxy"), "a file where the data folder should be");
        Injector injector = gitblitLikeInjector(gitblit);
        plugin = new GoProxyPlugin(new PluginWrapper(descriptor(), "/goproxy-0.1.0", null));
        injector.injectMembers(plugin);
        plugin.onInstall();
        plugin.start();
        URI root = startJetty(injector.getInstance(GoProxyFilter.class));
        HttpResponse<byte[]> rsp = get(root, ZIP);
        assertEquals(503, rsp.statusCode());
        assertEquals("the Go module proxy failed to start: see the Gitblit log\n",
                new String(rsp.body(), StandardCharsets.UTF_8));
        assertTrue(plugin.runtime.statusReport().startsWith("failed to start"), plugin.runtime.statusReport());
        assertEquals(null, plugin.runtime.service(), "no service was opened");
        assertTrue(Files.isRegularFile(notAFolder));
        plugin.stop();
        plugin = null;
    }

    // ------------------------------------------------------------------ Gitblit's parts

    private static Injector gitblitLikeInjector(FakeGitblit gitblit) {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(IRuntimeManager.class).toInstance(gitblit.runtime);
                bind(IRepositoryManager.class).toInstance(gitblit.repositories);
                bind(IAuthenticationManager.class).toInstance(gitblit.authentication);
                bind(com.gitblit.manager.IUserManager.class)
                        .toInstance(org.mockito.Mockito.mock(com.gitblit.manager.IUserManager.class));
            }
        });
    }

    /** The descriptor as pf4j 0.9.0 reads it from an expanded plugin folder. */
    private PluginDescriptor descriptor() throws Exception {
        Path folder = base.resolve("plugins/goproxy-0.1.0");
        Path manifest = Files.createDirectories(folder.resolve("classes/META-INF")).resolve("MANIFEST.MF");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", "goproxy");
        a.putValue("Plugin-Class", GoProxyPlugin.class.getName());
        a.putValue("Plugin-Version", "0.1.0");
        a.putValue("Plugin-Requires", "1.9.3");
        try (var out = Files.newOutputStream(manifest)) {
            m.write(out);
        }
        return new DefaultPluginDescriptorFinder(new PluginClasspath()).find(folder.toFile());
    }

    private URI startJetty(GoProxyFilter filter) throws Exception {
        jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        jetty.addConnector(http);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                rsp.setStatus(404);
                rsp.getOutputStream().write(("gitblit: " + req.getRequestURI()).getBytes(StandardCharsets.UTF_8));
            }
        }), "/*");
        jetty.setHandler(context);
        jetty.start();
        return URI.create("http://127.0.0.1:" + http.getLocalPort());
    }

    private HttpResponse<byte[]> get(URI root, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(root.resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------ counting

    /**
     * Live threads of the proxy. A pool counts as terminated a moment before its last worker's run() returns,
     * so each is given a second to end.
     */
    private static List<String> proxyThreads() throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("goproxy") && !EARLIER.contains(t)) {
                t.join(1000);
                if (t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        return names;
    }

    /**
     * Live threads but those of the test's own servers and clients (Jetty's and the HTTP client's pools grow and
     * shrink with the load, whatever the plugin does), by name.
     */
    private static List<String> otherThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && !name.startsWith("qtp") && !name.startsWith("HttpClient")) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** Open descriptors of this JVM whose target lies under {@code folder}. */
    private static List<String> openFilesUnder(Path folder) throws IOException {
        String prefix = folder.toRealPath().toString();
        List<String> open = new ArrayList<>();
        for (String target : fdTargets()) {
            if (target.startsWith(prefix)) {
                open.add(target);
            }
        }
        return open;
    }

    private static int openRegularFiles() throws IOException {
        int n = 0;
        for (String target : fdTargets()) {
            if (target.startsWith("/") && !target.startsWith("/proc/") && !target.startsWith("/dev/")) {
                n++;
            }
        }
        return n;
    }

    private static List<String> fdTargets() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Paths.get("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed between listing and reading (e.g. the listing's own descriptor)
                }
            }
        }
        return targets;
    }

    private static boolean hasFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.anyMatch(Files::isRegularFile);
        }
    }
}
