package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.Port443;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * {@code go get} without any proxy configured ({@code GOPROXY=direct}, {@code GONOSUMDB} for the forge): the go
 * command asks {@code https://127.0.0.1/<path>?go-get=1}, finds the {@code mod} go-import tag pointing at the
 * proxy, and downloads through it, for a root module, a module in a subdirectory and a {@code /v2} module. The
 * go command only ever asks the default HTTPS port, so this Gitblit serves HTTPS on 127.0.0.1:443 (which needs
 * root, as CI has; another process on 443 is waited for, then reported).
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GoGetDiscoveryIT {
    private static final String NS = "127.0.0.1";
    private static final String LIB = NS + "/disc/lib";
    private static final String PRIVATE = NS + "/disc/private";

    private static GitblitInstance gitblit;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        Port443.awaitFree();
        gitblit = GitblitInstance.builder("go-get-discovery-it").goProxyPlugin().httpsPort(443)
                .user("alice", "alice-secret").user("bob", "bob-secret").start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("disc/lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("disc/private.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.setUserPermission("disc/private.git", "alice", Permission.CLONE);

        LocalRepo lib = LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0");
        lib.write("sub/go.mod", "module " + LIB + "/sub\n\ngo 1.19\n")
                .write("sub/sub.go", "package sub\n\n// Name names it.\nconst Name = \"sub\"\n")
                .commit("submodule").tag("sub/v0.1.0");
        lib.write("go.mod", "module " + LIB + "/v2\n\ngo 1.19\n").commit("v2").tag("v2.0.0");
        lib.pushTo(gitblit.repositoriesFolder().resolve("disc/lib.git"));
        LocalRepo.module(work.resolve("src/private"), PRIVATE, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("disc/private.git"));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    private static GoCommand direct(String name) {
        return GoCommand.in(work.resolve("go-" + name))
                .with("GOPROXY", "direct")
                .with("GONOSUMDB", NS)
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    @Test
    void goGetFindsTheProxyThroughTheGoImportTag() throws IOException {
        GoCommand go = direct("public");
        Path app = go.newModule("app");
        go.ok(app, "get", LIB + "@v1.0.0");
        go.ok(app, "get", LIB + "/sub@v0.1.0");
        go.ok(app, "get", LIB + "/v2@v2.0.0");
        Files.writeString(app.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\n\tlib \"" + LIB + "\"\n\t\""
                + LIB + "/sub\"\n\tlib2 \"" + LIB + "/v2\"\n)\n\nfunc main() {\n\tfmt.Println(lib.Hello(), sub.Name, lib2.Hello())\n}\n");
        GoCommand.Result run = go.ok(app, "run", ".");
        assertEquals("hello from " + LIB + " sub hello from " + LIB + "\n", run.stdout());
        String goMod = Files.readString(app.resolve("go.mod"));
        assertTrue(goMod.contains(LIB + " v1.0.0") && goMod.contains(LIB + "/sub v0.1.0") && goMod.contains(LIB + "/v2 v2.0.0"),
                goMod);
    }

    @Test
    void aPrivateModuleIsFoundWithNetrcCredentialsOnly() {
        GoCommand anonymous = direct("private-anonymous");
        GoCommand.Result refused = anonymous.run(anonymous.newModule("app"), "get", PRIVATE + "@v1.0.0");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stderr().contains("unrecognized import path \"" + PRIVATE + "\"")
                && refused.stderr().contains("401 Unauthorized"), refused.toString());

        GoCommand bob = direct("private-bob").withNetrc(NS, "bob", "bob-secret");
        GoCommand.Result missing = bob.run(bob.newModule("app"), "get", PRIVATE + "@v1.0.0");
        assertNotEquals(0, missing.exit(), missing.toString());
        assertTrue(missing.stderr().contains("404 Not Found"), missing.toString());

        GoCommand alice = direct("private-alice").withNetrc(NS, "alice", "alice-secret");
        alice.ok(alice.newModule("app"), "get", PRIVATE + "@v1.0.0");
    }

    @Test
    void theMetaTagIsServedOnlyToWhoMayDownload() {
        HttpResponse<String> forAlice = gitblit.get(gitblit.httpsUrl(), "/disc/private/pkg?go-get=1", "alice", "alice-secret");
        assertEquals(200, forAlice.statusCode());
        assertTrue(forAlice.body().contains("<meta name=\"go-import\" content=\"" + PRIVATE + " mod https://127.0.0.1/go\">"),
                forAlice.body());
        HttpResponse<String> anonymous = gitblit.get(gitblit.httpsUrl(), "/disc/private/pkg?go-get=1");
        assertEquals(401, anonymous.statusCode());
        assertFalse(anonymous.body().contains("go-import"));
        HttpResponse<String> bob = gitblit.get(gitblit.httpsUrl(), "/disc/private/pkg?go-get=1", "bob", "bob-secret");
        assertEquals(404, bob.statusCode());
        assertFalse(bob.body().contains("go-import"));
        assertEquals(anonymous.body(), bob.body());
    }
}
