package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import com.gitblit.Constants.AccessPermission;
import com.gitblit.Constants.AccessRestrictionType;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GoProxyFilter} in a real servlet container, in front of a stand-in for Gitblit's own servlets (which answer
 * their pages, or 404 as the container does), under a context path, with Gitblit's managers mocked: which requests
 * the filter answers, which it passes on, and how.
 */
class GoProxyFilterTest {
    private static final String NS = "git.example.com";

    @TempDir
    File base;
    private FakeGitblit gitblit;
    private Server jetty;
    private GoProxyRuntime runtime;
    private URI root;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** The response object Gitblit's servlets got for the last request they saw. */
    private final AtomicReference<HttpServletResponse> seen = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        gitblit = new FakeGitblit(base);
        gitblit.settings.with(PluginSettings.MODULE_HOST, NS);
        gitblit.repository("team/lib.git", AccessRestrictionType.PUSH, "true");
        gitblit.repository("team/private.git", AccessRestrictionType.VIEW, "true");
        gitblit.repository("team/off.git", AccessRestrictionType.PUSH, "false");
        gitblit.user("alice", "secret", "team/private.git", AccessPermission.CLONE);
        gitblit.user("bob", "secret");
        startWith(new GoProxyRuntime(gitblit.runtime, gitblit.repositories, gitblit.authentication));
    }

    private void startWith(GoProxyRuntime runtime) throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (this.runtime != null) {
            this.runtime.stop();
        }
        this.runtime = runtime;
        runtime.start();
        jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        jetty.addConnector(http);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/gitblit");
        context.addFilter(new FilterHolder(new GoProxyFilter(runtime)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new GitblitStandIn()), "/*");
        jetty.setHandler(context);
        jetty.start();
        root = URI.create("http://127.0.0.1:" + http.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
        runtime.stop();
    }

    /** Gitblit's pages and servlets, reduced to what the filter can observe. */
    private final class GitblitStandIn extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            seen.set(response);
            String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            if (path.equals("/page") || path.startsWith("/team/lib/page")) {
                response.setContentType("text/html");
                response.getWriter().write("a Gitblit page");
            } else if (path.startsWith("/wicket404/") || path.startsWith("/team/lib/wicket404")) {
                // A page framework's not-found page: status first, then a body.
                response.setStatus(404);
                response.setContentType("text/html");
                response.getWriter().write("Wicket's own not-found page");
            } else {
                // What the container's default servlet does for a path nobody owns.
                response.sendError(404);
            }
        }
    }

    private HttpResponse<String> get(String path, String user) {
        return send("GET", path, user);
    }

    private HttpResponse<String> send(String method, String path, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve("/gitblit" + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":secret")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String contentType(HttpResponse<String> rsp) {
        // Jetty versions differ in the space after ';'.
        return rsp.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).replace(";charset", "; charset");
    }

    // ------------------------------------------------------------------ passing requests on

    @ParameterizedTest
    @CsvSource({"GET, /page, a=1", "POST, /team/lib, ''", "GET, /r/team/lib.git/info/refs, service=x",
        "GET, /, ''", "GET, /summary/team!lib.git, ''", "GET, /team/lib%20x, ''", "PUT, /go-on, ''"})
    void requestsThatAreNotOursReachGitblitUntouched(String method, String path, String query) {
        HttpResponse<String> rsp = send(method, path + (query.isEmpty() ? "" : "?" + query), null);
        assertTrue(rsp.statusCode() == 200 || rsp.statusCode() == 404, rsp.toString());
        assertFalse(seen.get() instanceof RepositoryPageRedirect, "wrapped: " + path);
    }

    @Test
    void aPageGitblitAnswersIsNeverLookedUp() {
        clearInvocations(gitblit.repositories, gitblit.authentication);
        HttpResponse<String> rsp = get("/team/lib/page", null);
        assertEquals(200, rsp.statusCode());
        assertEquals("a Gitblit page", rsp.body());
        assertEquals(0, mockingDetails(gitblit.repositories).getInvocations().size());
        assertEquals(0, mockingDetails(gitblit.authentication).getInvocations().size());
    }

    // ------------------------------------------------------------------ browsers

    @Test
    void gitblits404ForAModulePathBecomesARedirectToTheRepositoryPage() {
        HttpResponse<String> rsp = get("/team/lib/sub/pkg", null);
        assertEquals(302, rsp.statusCode());
        assertEquals(root + "/gitblit/summary/?r=team/lib.git", rsp.headers().firstValue("Location").orElse(""));
        HttpResponse<String> head = send("HEAD", "/team/lib", null);
        assertEquals(302, head.statusCode());
    }

    @Test
    void aNotFoundPageWithABodyIsReplacedCompletely() {
        HttpResponse<String> rsp = get("/team/lib/wicket404", null);
        assertEquals(302, rsp.statusCode());
        assertFalse(rsp.body().contains("Wicket"), rsp.body());
    }

    @Test
    void whoMayNotSeeTheRepositoryGetsGitblits404() {
        HttpResponse<String> anonymous = get("/team/private", null);
        assertEquals(404, anonymous.statusCode());
        assertFalse(anonymous.headers().firstValue("Location").isPresent());
        assertEquals(302, get("/team/private", "alice").statusCode());
        assertEquals(404, get("/team/private", "bob").statusCode());
        assertEquals(404, get("/team/off", "alice").statusCode(), "not enabled for Go");
        assertEquals(404, get("/team/none", "alice").statusCode());
        assertEquals(404, get("/wicket404/team/lib", null).statusCode());
    }

    @Test
    void servletPathsKeepTheirOwn404() {
        gitblit.repository("raw/tool.git", AccessRestrictionType.PUSH, "true");
        gitblit.repository("r/lib.git", AccessRestrictionType.PUSH, "true");
        assertEquals(404, get("/raw/tool/master/x", null).statusCode());
        assertEquals(404, get("/r/lib", null).statusCode());
        assertEquals(404, get("/team/lib.git/info/lfs/objects/batch", null).statusCode());
    }

    @Test
    void discoveryCanBeSwitchedOff() {
        gitblit.settings.with(PluginSettings.GO_GET_DISCOVERY, "false");
        assertEquals(404, get("/team/lib", null).statusCode());
        HttpResponse<String> goGet = get("/team/lib?go-get=1", null);
        assertEquals(404, goGet.statusCode());
        assertFalse(goGet.body().contains("go-import"));
    }

    // ------------------------------------------------------------------ go-get

    @Test
    void goGetAnswersTheGoImportTagForEveryPathInTheRepository() {
        for (String path : List.of("/team/lib", "/team/lib/", "/team/lib/sub/pkg", "/team/lib/v2")) {
            HttpResponse<String> rsp = get(path + "?go-get=1", null);
            assertEquals(200, rsp.statusCode(), path);
            assertEquals("text/html; charset=utf-8", contentType(rsp));
            assertTrue(rsp.body().contains("<meta name=\"go-import\" content=\"" + NS + "/team/lib mod " + root
                    + "/gitblit/go\">"), rsp.body());
            assertTrue(rsp.body().contains("href=\"/gitblit/summary/?r=team/lib.git\""), rsp.body());
            assertEquals("public, max-age=60", rsp.headers().firstValue("Cache-Control").orElse(""));
        }
        assertEquals(200, get("/team/lib?x=1&go-get=1", null).statusCode());
        HttpResponse<String> head = send("HEAD", "/team/lib?go-get=1", null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void goGetUsesTheCanonicalUrlForTheProxyBase() {
        gitblit.settings.with("web.canonicalUrl", "https://git.example.com/");
        assertTrue(get("/team/lib?go-get=1", null).body().contains(
                "content=\"" + NS + "/team/lib mod https://git.example.com/go\""));
    }

    @Test
    void goGetForWhatTheCallerMayNotDownloadIsTheProxysMiss() {
        HttpResponse<String> anonymous = get("/team/private/pkg?go-get=1", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"Gitblit\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("not found: module " + NS + "/team/private/pkg: no such module, or access denied\n", anonymous.body());
        assertEquals("text/plain; charset=utf-8", contentType(anonymous));
        assertEquals("no-store", anonymous.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> bob = get("/team/private/pkg?go-get=1", "bob");
        assertEquals(404, bob.statusCode());
        assertFalse(bob.headers().firstValue("WWW-Authenticate").isPresent());
        assertEquals(anonymous.body(), bob.body());
        assertEquals(200, get("/team/private/pkg?go-get=1", "alice").statusCode());
        assertEquals("private, max-age=60",
                get("/team/private/pkg?go-get=1", "alice").headers().firstValue("Cache-Control").orElse(""));
        for (String path : List.of("/team/off/pkg", "/team/none/pkg")) {
            assertEquals(anonymous.body().replace("private", path.split("/")[2]), get(path + "?go-get=1", null).body());
            assertEquals(404, get(path + "?go-get=1", "alice").statusCode());
        }
    }

    @Test
    void goGetForPathsThatNameNoRepositoryNeverReachesGitblit() {
        clearInvocations(gitblit.repositories);
        for (String path : List.of("/team/%2e%2e/x", "/team/lib/%2e%2e/private", "/a%01b", "/team/%C3%A9")) {
            HttpResponse<String> rsp = get(path + "?go-get=1", null);
            assertEquals(401, rsp.statusCode(), path + ": " + rsp.body());
        }
        // The namespace itself lies above modules anonymous callers may download: 404, whatever is there.
        assertEquals(404, get("/?go-get=1", null).statusCode());
        mockingDetails(gitblit.repositories).getInvocations().forEach(call -> {
            for (Object argument : call.getArguments()) {
                assertFalse(String.valueOf(argument).contains(".."), "Gitblit was asked for " + call);
            }
        });
    }

    // ------------------------------------------------------------------ our own failures

    @Test
    void anUnexpectedFailureIsA500WithoutStackTrace() {
        when(gitblit.repositories.getRepositoryModel(anyString())).thenThrow(new IllegalStateException("disk on fire"));
        HttpResponse<String> rsp = get("/team/lib?go-get=1", null);
        assertEquals(500, rsp.statusCode());
        assertEquals("internal error: see the server log\n", rsp.body());
        assertEquals("text/plain; charset=utf-8", contentType(rsp));
        // A browser's 404 stays Gitblit's when our lookup fails.
        HttpResponse<String> page = get("/team/lib", null);
        assertEquals(404, page.statusCode());
    }

    @Test
    void aRuntimeThatFailedToStartAnswers503AndLeavesGitblitAlone() throws Exception {
        when(gitblit.runtime.getFileOrFolder(anyString(), anyString())).thenThrow(new IllegalStateException("no disk"));
        GoProxyRuntime failed = new GoProxyRuntime(gitblit.runtime, gitblit.repositories, gitblit.authentication);
        startWith(failed);
        assertTrue(failed.failed());
        HttpResponse<String> rsp = get("/go/" + NS + "/team/lib/@v/list", null);
        assertEquals(503, rsp.statusCode());
        assertEquals("the Go module proxy failed to start: see the Gitblit log\n", rsp.body());
        assertEquals(200, get("/page", null).statusCode());
        assertEquals(404, get("/team/lib", null).statusCode());
    }

    // ------------------------------------------------------------------ proxy bases

    @Test
    void aProjectBaseNeedsAProjectName() {
        for (String path : List.of("/go/@project/", "/go/@project/team", "/go/@project//x")) {
            HttpResponse<String> rsp = get(path, null);
            assertEquals(404, rsp.statusCode(), path);
            assertEquals("not found: a project's proxy base is /go/@project/<project>/\n", rsp.body());
        }
    }

    @Test
    void theProxyBaseIsOursWithOrWithoutTrailingSlash() {
        for (String path : List.of("/go", "/go/")) {
            HttpResponse<String> rsp = get(path, null);
            assertEquals("text/plain; charset=utf-8", contentType(rsp), path);
            assertSame(null, seen.getAndSet(null), "Gitblit saw " + path);
        }
        get("/gone", null);
        assertNotSame(null, seen.get(), "/gone is not ours: Gitblit must see it");
    }
}
