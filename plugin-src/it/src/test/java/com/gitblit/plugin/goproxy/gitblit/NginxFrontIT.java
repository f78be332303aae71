package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.Eventually;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.Port443;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The deployment docs/gitblit-plugin.md describes, run for real: Debian's nginx terminates TLS on 127.0.0.1:443
 * with the {@code server} block quoted in the docs (only the certificate paths, the server name and Gitblit's
 * port replaced), in front of a real Gitblit whose {@code web.canonicalUrl} is {@code https://127.0.0.1}. The go
 * command downloads public and private ({@code .netrc}) modules through {@code GOPROXY=https://127.0.0.1/go} and
 * through go-get discovery ({@code GOPROXY=direct}), including a module path with an upper-case letter, whose
 * {@code !}-escape nginx must pass on untouched.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class NginxFrontIT {
    private static final String NS = "127.0.0.1";
    private static final String LIB = NS + "/front/lib";
    private static final String UPPER = NS + "/front/Upper";
    private static final String PRIVATE = NS + "/front/private";
    private static final Path DOCS = Paths.get(System.getProperty("goproxy.docs", "docs/gitblit-plugin.md")).toAbsolutePath().normalize();
    private static final Path NGINX = Paths.get("/usr/sbin/nginx");

    private static GitblitInstance gitblit;
    private static Path work;
    private static Process nginx;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(NGINX), "nginx is missing: install Debian's nginx (.ci/run does)");
        Port443.awaitFree();
        gitblit = GitblitInstance.builder("nginx-front-it").goProxyPlugin()
                .setting("web.canonicalUrl", "https://" + NS)
                .user("alice", "alice-secret").start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        Map<String, String> on = Map.of("goProxy", "true");
        gitblit.createRepository("front/lib.git", Restriction.PUSH, Authorization.NAMED, on);
        gitblit.createRepository("front/Upper.git", Restriction.PUSH, Authorization.NAMED, on);
        gitblit.createRepository("front/private.git", Restriction.VIEW, Authorization.NAMED, on);
        gitblit.setUserPermission("front/private.git", "alice", Permission.CLONE);
        LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0").pushTo(gitblit.repositoriesFolder().resolve("front/lib.git"));
        LocalRepo.module(work.resolve("src/upper"), UPPER, "v1.2.0").pushTo(gitblit.repositoriesFolder().resolve("front/Upper.git"));
        LocalRepo.module(work.resolve("src/private"), PRIVATE, "v0.1.0")
                .pushTo(gitblit.repositoriesFolder().resolve("front/private.git"));
        nginx = startNginx(Files.createDirectories(gitblit.home().resolve("nginx")));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(20, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (gitblit != null) {
            gitblit.close();
        }
    }

    /** The first {@code nginx} block of the docs' nginx section: what an administrator copies. */
    static String documentedServerBlock() throws IOException {
        String doc = Files.readString(DOCS);
        int section = doc.indexOf("### nginx in front of Gitblit");
        assertTrue(section >= 0, "no nginx section in " + DOCS);
        int start = doc.indexOf("```nginx\n", section);
        assertTrue(start >= 0, "no nginx block in the nginx section of " + DOCS);
        start += "```nginx\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static Process startNginx(Path dir) throws Exception {
        Path cert = gitblit.pki().writeServerCertPem(dir.resolve("server.fullchain.pem"));
        Path key = gitblit.pki().writeServerKeyPem(dir.resolve("server.key"));
        String server = documentedServerBlock();
        server = replaceOnce(server, "listen 443 ssl;", "listen " + NS + ":443 ssl;");
        server = replaceOnce(server, "server_name git.example.com;", "server_name " + NS + ";");
        server = replaceOnce(server, "/etc/ssl/private/git.example.com.fullchain.pem", cert.toString());
        server = replaceOnce(server, "/etc/ssl/private/git.example.com.key", key.toString());
        server = replaceOnce(server, "proxy_pass http://127.0.0.1:8080;", "proxy_pass " + gitblit.httpUrl() + ";");
        // Around the documented block, what Debian's /etc/nginx/nginx.conf would give, confined to this folder.
        String conf = "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log " + dir.resolve("access.log") + ";\n"
                + "  client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + server
                + "}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        List<String> command = List.of(NGINX.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start();
        URI front = URI.create("https://" + NS + "/");
        try {
            Eventually.within(Duration.ofSeconds(30)).until("nginx to answer 200 on " + front, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited with " + p.exitValue() + ":\n"
                            + Files.readString(dir.resolve("nginx.out")));
                }
                return gitblit.get(front, "/").statusCode() == 200; // throws while not listening yet
            });
        } catch (AssertionError e) {
            p.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\nconfiguration:\n" + conf, e);
        }
        return p;
    }

    private static String replaceOnce(String text, String what, String with) {
        assertEquals(1, text.split(Pattern.quote(what), -1).length - 1, "the documented block should contain once: " + what);
        return text.replace(what, with);
    }

    private static GoCommand go(String name, String proxy) {
        return GoCommand.in(work.resolve("go-" + name))
                .with("GOPROXY", proxy)
                .with("GONOSUMDB", NS)
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    @Test
    void goGetThroughTheProxyBaseBehindNginx() throws IOException {
        GoCommand go = go("proxy", "https://" + NS + "/go");
        Path app = go.newModule("app");
        go.ok(app, "get", LIB + "@v1.0.0");
        go.ok(app, "get", UPPER + "@v1.2.0");
        GoCommand.Result list = go.ok(app, "list", "-m", "-versions", UPPER);
        assertEquals(UPPER + " v1.2.0\n", list.stdout());
        String log = Files.readString(gitblit.home().resolve("nginx/access.log"));
        assertTrue(log.contains("GET /go/" + LIB + "/@v/v1.0.0.zip"), log);
        // The go command sends the "!" escape percent-encoded; nginx must hand it on as it came.
        assertTrue(log.contains("GET /go/" + NS + "/front/%21upper/@v/v1.2.0.zip"), log);
    }

    @Test
    void goGetThroughGoImportDiscoveryBehindNginx() throws IOException {
        HttpResponse<String> tag = gitblit.get(URI.create("https://" + NS), "/front/lib/pkg?go-get=1");
        assertEquals(200, tag.statusCode(), tag.body());
        // The canonical URL, not Gitblit's own address behind nginx.
        assertTrue(tag.body().contains("<meta name=\"go-import\" content=\"" + LIB + " mod https://" + NS + "/go\">"),
                tag.body());
        GoCommand go = go("direct", "direct");
        Path app = go.newModule("app");
        go.ok(app, "get", LIB + "@v1.0.0");
        go.ok(app, "get", UPPER + "@v1.2.0");
        String goMod = Files.readString(app.resolve("go.mod"));
        assertTrue(goMod.contains(LIB + " v1.0.0") && goMod.contains(UPPER + " v1.2.0"), goMod);
    }

    @Test
    void aPrivateModuleNeedsNetrcCredentialsWhichNginxPassesOn() {
        for (String proxy : List.of("https://" + NS + "/go", "direct")) {
            String name = proxy.equals("direct") ? "direct" : "proxy";
            GoCommand anonymous = go("private-anonymous-" + name, proxy);
            GoCommand.Result refused = anonymous.run(anonymous.newModule("app"), "get", PRIVATE + "@v0.1.0");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(refused.stderr().contains("401 Unauthorized"), refused.toString());

            GoCommand alice = go("private-alice-" + name, proxy).withNetrc(NS, "alice", "alice-secret");
            alice.ok(alice.newModule("app"), "get", PRIVATE + "@v0.1.0");
        }
    }

    @Test
    void gitblitsOwnPagesAndGitWorkThroughNginx() {
        HttpResponse<String> page = gitblit.get(URI.create("https://" + NS), "/summary/?r=front/lib.git");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("front/lib.git"));
        String refs = gitblit.git().run(work, "ls-remote", "--tags", "https://" + NS + "/r/front/lib.git");
        assertTrue(refs.contains("refs/tags/v1.0.0"), refs);
    }
}
