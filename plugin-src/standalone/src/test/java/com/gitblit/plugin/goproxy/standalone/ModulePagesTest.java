package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.JGitRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The standalone module pages over a real server, real bare repositories and a users file: who sees which
 * module, hidden pages identical to absent ones, escaping of repository-made text, and the {@code go get}
 * line agreeing with what the proxy serves.
 */
@Tag("jgit")
class ModulePagesTest {
    private static final String NS = "forge.test";
    private static final String LIB = NS + "/public/lib";
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMG = "<img src=x onerror=alert(2)>";
    private static final String HOSTILE_DIR = "evil\"><i>dir</i>";

    @TempDir
    static Path tmp;

    private static StandaloneServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path repos = tmp.resolve("repos");
        try (JGitRepo repo = JGitRepo.init(tmp.resolve("work/lib"))) {
            repo.tag("v0.9.0", repo.commit("go.mod", "module " + LIB + "\n\ngo 1.19\n", "lib.go", "package lib\n"));
            String goMod = "module " + LIB + " // " + SCRIPT + "\n\ngo 1.19\n\nrequire (\n\t" + NS
                    + "/private/lib v1.0.0\n\texample.com/other v1.2.3\n)\n\nretract v0.9.0 // " + IMG + "\n";
            RevCommit v100 = repo.tag("v1.0.0", repo.commit("go.mod", goMod, "sub/pkg/p.go", "package pkg\n"));
            repo.tag(HOSTILE_DIR + "/v1.0.0", v100); // a directory no module can live in: no module, no row
            repo.tag("v1.1.0-rc.1", repo.commit("lib.go", "package lib // rc\n"));
            repo.tag("v1.2.0-<b>bold</b>", repo.commit("lib.go", "package lib // bold\n"));
            repo.cloneBare(repos.resolve("public/lib.git"));
        }
        JGitRepo.bareModule(repos.resolve("private/lib.git"), NS + "/private/lib", tmp.resolve("work/private"));
        JGitRepo.bareModule(repos.resolve("public/a<i>b.git"), NS + "/public/a<i>b", tmp.resolve("work/odd"));
        Path users = tmp.resolve("users");
        Files.write(users, List.of(UsersFile.line("alice", "wonderland".toCharArray()),
                UsersFile.line("bob", "builder".toCharArray())));
        Path access = tmp.resolve("access");
        Files.write(access, List.of("public/* anonymous", "private/* alice"));
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(repos).prefix(NS)
                .http("127.0.0.1", 0).users(users, access).settings(com.gitblit.plugin.goproxy.service.ProxySettings
                        .builder().dataDirectory(tmp.resolve("data").toFile()).build()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> get(String pathAndQuery, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/go/"
                + pathAndQuery));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> page(String page, String user, String password, String... params)
            throws Exception {
        StringBuilder q = new StringBuilder("-/").append(page);
        for (int i = 0; i + 1 < params.length; i += 2) {
            q.append(i == 0 ? '?' : '&').append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return get(q.toString(), user, password);
    }

    private static String notFound() throws Exception {
        HttpResponse<String> r = page("module", null, null, "m", NS + "/absent/lib");
        assertEquals(404, r.statusCode());
        return r.body();
    }

    @Test
    void theListShowsWhatEachViewerMayDownload() throws Exception {
        HttpResponse<String> anonymous = page("modules", null, null);
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(anonymous.body().contains("data-module=\"" + LIB + "\""), anonymous.body());
        assertTrue(anonymous.body().contains(">v1.0.0</a>"), anonymous.body());
        assertFalse(anonymous.body().contains("private"), anonymous.body());
        assertTrue(anonymous.body().contains("2 modules"), anonymous.body());

        HttpResponse<String> alice = page("modules", "alice", "wonderland");
        assertTrue(alice.body().contains("data-module=\"" + NS + "/private/lib\""), alice.body());
        assertTrue(alice.body().contains("3 modules"), alice.body());
        assertFalse(page("modules", "bob", "builder").body().contains("private"));

        HttpResponse<String> search = page("modules", "alice", "wonderland", "q", "PRIVATE");
        assertTrue(search.body().contains("1 module<"), search.body());
        assertTrue(search.body().contains(NS + "/private/lib"));
        assertFalse(search.body().contains(LIB + "\""));
        HttpResponse<String> none = page("modules", null, null, "q", "private", "p", "x");
        assertEquals(200, none.statusCode());
        assertTrue(none.body().contains("0 modules"), none.body());
        HttpResponse<String> huge = page("modules", null, null, "q", "<b>".repeat(30_000), "p", "999999999999");
        assertTrue(huge.statusCode() == 200 || huge.statusCode() == 414 || huge.statusCode() == 431,
                "status " + huge.statusCode());
        assertFalse(huge.body().contains("<b>"));
    }

    @Test
    void aHiddenModuleIsExactlyAnAbsentOne() throws Exception {
        String absent = notFound();
        for (String[] viewer : new String[][] {{null, null}, {"bob", "builder"}, {"alice", "wrong"}}) {
            HttpResponse<String> hidden = page("module", viewer[0], viewer[1], "m", NS + "/private/lib");
            assertEquals(404, hidden.statusCode());
            assertEquals(absent, hidden.body());
            HttpResponse<String> version = page("version", viewer[0], viewer[1], "m", NS + "/private/lib", "v", "v1.0.0");
            assertEquals(404, version.statusCode());
            assertEquals(absent, version.body());
        }
        HttpResponse<String> alice = page("module", "alice", "wonderland", "m", NS + "/private/lib");
        assertEquals(200, alice.statusCode(), alice.body());
        assertTrue(alice.body().contains("go get " + NS + "/private/lib@v1.0.0"), alice.body());
        assertEquals(200, page("version", "alice", "wonderland", "m", NS + "/private/lib", "v", "v1.0.0").statusCode());
    }

    @Test
    void badParametersAnswerTheOne404WithoutEchoingThem() throws Exception {
        String absent = notFound();
        String[][] cases = {
            {"module"},
            {"module", "m", ""},
            {"module", "m", "<script>evil</script>"},
            {"module", "m", LIB + "/../private/lib"},
            {"module", "m", LIB + "/nosuchdir"},
            {"module", "m", LIB + "/" + HOSTILE_DIR},
            {"version", "m", LIB + "/" + HOSTILE_DIR, "v", "v1.0.0"},
            {"module", "m", "github.com/else/where"},
            {"version", "m", LIB},
            {"version", "m", LIB, "v", "<b>v9</b>"},
            {"version", "m", LIB, "v", "v1.2.0-<b>bold</b>"},
            {"version", "m", LIB, "v", "v9.9.9"},
            {"version", "m", LIB, "v", "master"},
            {"version", "m", "evil<x>", "v", "v1.0.0"},
        };
        for (String[] c : cases) {
            String[] params = java.util.Arrays.copyOfRange(c, 1, c.length);
            HttpResponse<String> r = page(c[0], null, null, params);
            assertEquals(404, r.statusCode(), String.join(" ", c));
            assertEquals(absent, r.body(), String.join(" ", c));
        }
        assertFalse(absent.contains("absent"));
        assertEquals(404, get("-/nosuchpage", null, null).statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpPort() + "/go/-/modules")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void repositoryTextIsEscaped() throws Exception {
        HttpResponse<String> module = page("module", null, null, "m", LIB);
        assertEquals(200, module.statusCode(), module.body());
        String m = module.body();
        assertTrue(m.contains("&lt;img src=x onerror=alert(2)&gt;"), m);
        assertTrue(m.contains("retracted"), m);
        assertTrue(m.contains("prerelease"), m);
        assertFalse(m.contains("<img") || m.contains("<b>") || m.contains("bold"), m);
        // Versions newest first.
        assertTrue(m.indexOf("data-version=\"v1.1.0-rc.1\"") < m.indexOf("data-version=\"v1.0.0\"")
                && m.indexOf("data-version=\"v1.0.0\"") < m.indexOf("data-version=\"v0.9.0\""), m);

        String v = page("version", null, null, "m", LIB, "v", "v1.0.0").body();
        assertTrue(v.contains("// &lt;script&gt;alert(1)&lt;/script&gt;"), v);
        assertFalse(v.contains("<script"), v);
        // Links by namespace only: the private module is a link for anonymous too, the other to the docs site.
        assertTrue(v.contains("<a href=\"module?m=forge.test%2Fprivate%2Flib\">" + NS + "/private/lib</a>"), v);
        assertTrue(v.contains("<a href=\"https://pkg.go.dev/example.com/other\">example.com/other</a>"), v);
        assertTrue(v.contains("<li>" + LIB + "/sub/pkg</li>"), v);

        String list = page("modules", null, null).body();
        assertTrue(list.contains(NS + "/public/a&lt;i&gt;b"), list);
        assertFalse(list.contains("<i>"), list);
    }

    @Test
    void theGoGetLineIsWhatTheProxyServes() throws Exception {
        HttpResponse<String> latest = get(LIB + "/@latest", null, null);
        assertEquals(200, latest.statusCode(), latest.body());
        String version = latest.body().replaceAll("(?s).*\"Version\":\"([^\"]+)\".*", "$1");
        assertEquals("v1.0.0", version);
        assertTrue(page("module", null, null, "m", LIB).body()
                .contains("<pre class=\"go-get\">go get " + LIB + "@" + version + "</pre>"));

        // go.sum lines appear once the version was served, and are the proxy's own hashes.
        String before = page("version", null, null, "m", LIB, "v", "v0.9.0").body();
        assertTrue(before.contains("Not served yet"), before);
        assertEquals(200, get(LIB + "/@v/v0.9.0.zip", null, null).statusCode());
        assertEquals(200, get(LIB + "/@v/v0.9.0.mod", null, null).statusCode());
        String after = page("version", null, null, "m", LIB, "v", "v0.9.0").body();
        assertTrue(after.matches("(?s).*" + java.util.regex.Pattern.quote(LIB) + " v0\\.9\\.0 h1:[A-Za-z0-9+/=]+\n.*/go\\.mod h1:.*"),
                after);
    }

    @Test
    void signInAsksForCredentialsUntilTheyAreRight() throws Exception {
        for (String[] viewer : new String[][] {{null, null}, {"alice", "wrong"}}) {
            HttpResponse<String> r = get("-/signin", viewer[0], viewer[1]);
            assertEquals(401, r.statusCode());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="));
        }
        HttpResponse<String> alice = get("-/signin", "alice", "wonderland");
        assertEquals(303, alice.statusCode());
        assertEquals("modules", alice.headers().firstValue("Location").orElse(""));
    }

    /** The line the page offers, run by the real go command, gets the version whose hashes the page then shows. */
    @RequiresGo
    @Test
    void theRealGoCommandGetsWhatThePageOffers() throws Exception {
        String page = page("module", null, null, "m", LIB).body();
        String line = page.replaceAll("(?s).*<pre class=\"go-get\">go get ([^<]+)</pre>.*", "$1");
        assertEquals(LIB + "@v1.0.0", line);
        // (go sends .netrc credentials over HTTPS only: StandaloneAccessTest covers private modules that way.)
        GoCommand go = GoCommand.in(tmp.resolve("go-anonymous")).with("GOSUMDB", "off")
                .with("GOFLAGS", "-modcacherw").proxy("http://127.0.0.1:" + server.httpPort() + "/go/");
        GoCommand.Result ok = go.run(tmp, "mod", "download", "-json", line);
        assertEquals(0, ok.exit(), ok.toString());
        String sum = ok.stdout().replaceAll("(?s).*\"Sum\": \"(h1:[^\"]+)\".*", "$1");
        assertTrue(sum.startsWith("h1:"), ok.toString());
        String version = page("version", null, null, "m", LIB, "v", "v1.0.0").body();
        assertTrue(version.contains(LIB + " v1.0.0 " + sum + "\n"), version + "\n" + ok);
    }

    @Test
    void setupUsesThisServersAddressAndTheViewer() throws Exception {
        String anonymous = page("setup", null, null).body();
        assertTrue(anonymous.contains("export GOPROXY=http://127.0.0.1:" + server.httpPort()
                + "/go,https://proxy.golang.org,direct"), anonymous);
        assertTrue(anonymous.contains("export GONOSUMDB=" + NS), anonymous);
        assertTrue(anonymous.contains("login YOUR-USER-NAME"), anonymous);
        assertTrue(page("setup", "alice", "wonderland").body().contains("machine 127.0.0.1 login alice password"));
    }
}
