package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Wrong passwords against a real Gitblit 1.9.3 with the plugin: Gitblit's authentication manager (which logs
 * every failed check) is asked once per wrong password, not once per request, and guessing from one client is
 * answered 429 while the same user signs in from another client behind the trusted proxy.
 */
class GitblitHostileClientsIT {
    private static final String NS = "127.0.0.1";
    private static final String PRIVATE = NS + "/guard/private";
    private static final String PUBLIC = NS + "/guard/public";

    private static GitblitInstance gitblit;

    @BeforeAll
    static void start() throws IOException {
        gitblit = GitblitInstance.builder("hostile-clients-it").goProxyPlugin().user("alice", "alice-secret")
                .pluginSetting("trustedProxies", "127.0.0.1").start();
        Path work = Files.createDirectories(gitblit.home().resolve("work"));
        Map<String, String> on = Map.of("goProxy", "true");
        gitblit.createRepository("guard/private.git", Restriction.VIEW, Authorization.NAMED, on);
        gitblit.createRepository("guard/public.git", Restriction.PUSH, Authorization.NAMED, on);
        gitblit.setUserPermission("guard/private.git", "alice", Permission.CLONE);
        LocalRepo.module(work.resolve("private"), PRIVATE, "v1.0.0").pushTo(gitblit.repositoriesFolder().resolve("guard/private.git"));
        LocalRepo.module(work.resolve("public"), PUBLIC, "v1.0.0").pushTo(gitblit.repositoriesFolder().resolve("guard/public.git"));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    private static HttpResponse<String> get(String module, String user, String password, String client) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gitblit.httpsUrl().resolve("/go/" + module + "/@v/list")).GET()
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("X-Forwarded-For", client);
        return gitblit.send(b.build());
    }

    private static long failedChecksLogged(String user) throws IOException {
        return Files.readAllLines(gitblit.logFile(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("Failed login attempt for " + user)).count();
    }

    @Test
    void aStalePasswordOnAPublicModuleCostsGitblitOneCheck() throws Exception {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> rsp = get(PUBLIC, "carol", "stale", "198.51.100.1");
            assertEquals(200, rsp.statusCode(), rsp.body());
            assertEquals("v1.0.0\n", rsp.body());
        }
        assertEquals(1, failedChecksLogged("carol"), gitblit.logTail());
    }

    @Test
    void guessingFromOneClientIsAnswered429WhileTheUserSignsInElsewhere() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, get(PRIVATE, "alice", "guess" + i, "203.0.113.66").statusCode());
        }
        HttpResponse<String> locked = get(PRIVATE, "alice", "guess5", "203.0.113.66");
        assertEquals(429, locked.statusCode(), locked.body());
        assertEquals("30", locked.headers().firstValue("Retry-After").orElse(null));
        assertEquals("too many failed sign-ins for alice from this address: try again later\n", locked.body());
        assertEquals(5, failedChecksLogged("alice"), "the sixth guess never reached Gitblit");
        HttpResponse<String> ci = get(PRIVATE, "alice", "alice-secret", "192.0.2.10");
        assertEquals(200, ci.statusCode(), ci.body());
        assertEquals("v1.0.0\n", ci.body());
    }
}
