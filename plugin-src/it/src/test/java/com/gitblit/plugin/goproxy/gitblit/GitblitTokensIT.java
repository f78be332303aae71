package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;
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
import com.gitblit.plugin.goproxy.token.TokenStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Go access tokens in a real Gitblit: alice signs in through Gitblit's login form, opens the token page from her
 * user menu and creates a token; the real go command downloads her private module over HTTPS with the token in
 * {@code .netrc}; curl gets the module list with {@code Authorization: Bearer}; the token is refused under bob's
 * name, as a git password, and on Gitblit's own pages and RPC; it never shows up in Gitblit's log. Revoked on the
 * page, expired, or its owner deleted, it is refused with a fresh module cache; a renamed owner keeps it; failed
 * token checks are throttled like failed passwords.
 */
@RequiresGo
@RequiresGitCli
@Tag(GitblitInstance.EVERY_VERSION)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitblitTokensIT {
    private static final String NS = "127.0.0.1";
    private static final String MODULE = NS + "/tok/private";
    private static final Pattern TOKEN = Pattern.compile("gbgo_[0-9a-f]{12}_[0-9a-f]{48}");

    private static GitblitInstance gitblit;
    private static Path work;
    private static final List<String> issued = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("tokens-it").goProxyPlugin()
                .user("alice", "alice-secret").user("bob", "bob-secret").user("carol", "carol-secret").start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("tok/private.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        for (String user : List.of("alice", "carol")) {
            gitblit.setUserPermission("tok/private.git", user, Permission.CLONE);
        }
        LocalRepo.module(work.resolve("src/private"), MODULE, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("tok/private.git"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gitblit != null) {
            String log = Files.readString(gitblit.logFile());
            gitblit.close();
            for (String token : issued) {
                assertFalse(log.contains(token.substring(18)), "Gitblit's log shows a token");
            }
        }
    }

    private static GoCommand go(String name) {
        return GoCommand.in(work.resolve("go-" + name)).with("GOPROXY", gitblit.httpsUrl() + "/go")
                .with("GONOSUMDB", NS).with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    private static GoCommand.Result download(String name, String login, String token) {
        GoCommand go = go(name).withNetrc(NS, login, token);
        return go.run(go.home(), "mod", "download", "-json", MODULE + "@v1.0.0");
    }

    private static WebSession signedIn(String user, String password) throws Exception {
        WebSession web = new WebSession(gitblit.httpUrl());
        web.signIn(user, password);
        return web;
    }

    /** Creates a token on the page; returns the page's HTML right after. */
    private static String createOnPage(WebSession web, String name, String days) throws Exception {
        web.open(GoTokensPage.MOUNT.substring(1));
        return web.submit("createToken", Map.of("name", name, "days", days));
    }

    private static String tokenIn(String html) {
        Matcher m = TOKEN.matcher(html);
        assertTrue(m.find(), "no token on the page:\n" + html);
        issued.add(m.group());
        return m.group();
    }

    private static HttpResponse<String> list(String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gitblit.httpsUrl().resolve("/go/" + MODULE + "/@v/list"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return gitblit.send(b.build());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void aTokenMadeOnThePageDownloadsThePrivateModuleUntilRevoked() throws Exception {
        WebSession alice = signedIn("alice", "alice-secret");
        assertTrue(alice.html().contains("Go access tokens"), "user menu entry:\n" + alice.html());
        alice.follow("gotokens");
        assertTrue(alice.html().contains("id=\"createToken\""), alice.html());

        String created = createOnPage(alice, "laptop", "");
        String token = tokenIn(created);
        assertTrue(created.contains("machine " + NS + " login alice password " + token), created);
        String again = alice.open(GoTokensPage.MOUNT.substring(1));
        assertFalse(again.contains(token), "the token is shown only once");
        assertTrue(again.contains("laptop") && again.contains(token.substring(5, 17)), again);
        assertTrue(again.contains("never"), "not used yet: " + again);
        String onDisk = Files.readString(gitblit.baseFolder().resolve("goproxy").resolve(TokenStore.FILE_NAME));
        assertFalse(onDisk.contains(token.substring(18)), "only the hash is stored: " + onDisk);

        GoCommand.Result ok = download("alice-token", "alice", token);
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.stdout().contains("\"Sum\": \"h1:"), ok.toString());
        assertTrue(curl("Authorization: Bearer " + token).contains("v1.0.0"), "Bearer with curl");
        assertEquals(401, list(basic("bob", token)).statusCode(), "another user's name");
        assertFalse(alice.open(GoTokensPage.MOUNT.substring(1)).contains("<td class=\"tokenLastUsed\">never"),
                "last use recorded:\n" + alice.html());

        alice.follow("tokenRevoke");
        assertTrue(alice.html().contains("Revoked the token"), alice.html());
        assertFalse(alice.html().contains("class=\"tokenRow\""), "no token left in the list:\n" + alice.html());
        GoCommand.Result refused = download("alice-revoked", "alice", token);
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());
        assertEquals(401, list("Bearer " + token).statusCode());
    }

    @Test
    @Order(2)
    void aTokenIsNoPasswordForGitThePagesOrRpc() throws Exception {
        String token = tokenIn(createOnPage(signedIn("alice", "alice-secret"), "git", ""));
        assertEquals(200, list(basic("alice", token)).statusCode());
        HttpResponse<String> goGet = gitblit.get(gitblit.httpsUrl(), "/tok/private/pkg?go-get=1", "alice", token);
        assertEquals(200, goGet.statusCode(), goGet.body());
        assertTrue(goGet.body().contains("<meta name=\"go-import\" content=\"" + MODULE + " mod "), goGet.body());
        Path clone = work.resolve("clone");
        String url = gitblit.cloneUrl("tok/private.git").replace("https://", "https://alice:" + token + "@");
        IllegalStateException git = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> gitblit.git().run(work, "clone", url, clone.toString()));
        assertTrue(git.getMessage().contains("Authentication failed") || git.getMessage().contains("401"),
                git.getMessage());
        assertFalse(Files.exists(clone.resolve("go.mod")));
        HttpResponse<String> rpc = gitblit.send(HttpRequest.newBuilder(gitblit.httpsUrl().resolve("/rpc/?req=LIST_REPOSITORIES"))
                .header("Authorization", basic("alice", token)).build());
        assertEquals(401, rpc.statusCode(), rpc.body());
        HttpResponse<String> page = gitblit.send(HttpRequest.newBuilder(gitblit.httpsUrl().resolve("/summary/?r=tok/private.git"))
                .header("Authorization", basic("alice", token)).build());
        assertEquals(401, page.statusCode(), page.body());
        // Gitblit's own authentication never saw it: no failed login for alice.
        assertFalse(Files.readString(gitblit.logFile()).contains("Failed login attempt for alice"),
                gitblit.logTail());
    }

    @Test
    @Order(2)
    void anonymousVisitorsGetNoTokenPage() {
        HttpResponse<String> page = gitblit.get(gitblit.httpUrl(), GoTokensPage.MOUNT);
        assertTrue(page.statusCode() == 200 || page.statusCode() == 302, page.statusCode() + " " + page.body());
        assertFalse(page.body().contains("createToken"), page.body());
    }

    @Test
    @Order(3)
    void expiredTokensAreRefused() throws Exception {
        long now = System.currentTimeMillis();
        TokenStore yesterday = TokenStore.open(gitblit.baseFolder().resolve("goproxy"),
                () -> now - TimeUnit.DAYS.toMillis(2));
        String token = yesterday.create("alice", "", "old", now - TimeUnit.HOURS.toMillis(1)).token.text();
        issued.add(token);
        GoCommand.Result refused = download("alice-expired", "alice", token);
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());
        assertTrue(signedIn("alice", "alice-secret").open(GoTokensPage.MOUNT.substring(1)).contains("(expired)"));
    }

    @Test
    @Order(4)
    void adminsSeeAndRevokeEveryonesTokens() throws Exception {
        String token = tokenIn(createOnPage(signedIn("carol", "carol-secret"), "carol-ci", "30"));
        WebSession admin = signedIn(GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        String page = admin.open(GoTokensPage.MOUNT.substring(1));
        assertTrue(page.contains("carol-ci") && page.contains(">carol<"), page);
        assertFalse(page.contains(token), page);
        // bob sees none of them.
        String bobs = signedIn("bob", "bob-secret").open(GoTokensPage.MOUNT.substring(1));
        assertFalse(bobs.contains("carol-ci"), bobs);
        assertEquals(200, list("Bearer " + token).statusCode());
        admin.follow("tokenRevoke");
        assertTrue(admin.html().contains("Revoked the token"), admin.html());
    }

    @Test
    @Order(5)
    void failedTokenChecksAreThrottledLikePasswords() {
        int locked = 0;
        for (int i = 0; i < 8; i++) {
            String guess = "gbgo_" + String.format("%012x", i) + "_" + "0".repeat(48);
            int status = list(basic("bob", guess)).statusCode();
            assertTrue(status == 401 || status == 429, "status " + status);
            if (status == 429) {
                locked++;
            }
        }
        assertTrue(locked > 0, "wrong tokens must lock bob out from this address for a while");
    }

    @Test
    @Order(6)
    void aRenamedOwnerKeepsTheTokensAndADeletedOneLosesThem() throws Exception {
        String aliceToken = tokenIn(createOnPage(signedIn("alice", "alice-secret"), "renamed", ""));
        String carolToken = tokenIn(createOnPage(signedIn("carol", "carol-secret"), "deleted", ""));
        assertEquals(200, list(basic("alice", aliceToken)).statusCode());

        JsonObject alice = userModel("alice");
        alice.addProperty("username", "alicia");
        gitblit.rpc("EDIT_USER", "alice", alice.toString());
        assertEquals(200, list(basic("alicia", aliceToken)).statusCode(), "renamed: " + tokensFile());
        assertEquals(401, list(basic("alice", aliceToken)).statusCode());

        gitblit.rpc("DELETE_USER", null, userModel("carol").toString());
        assertFalse(tokensFile().contains("\tcarol\t"), "carol's tokens went with her: " + tokensFile());
        assertEquals(401, list("Bearer " + carolToken).statusCode());
    }

    private static JsonObject userModel(String name) {
        JsonElement all = new JsonParser().parse(gitblit.rpc("LIST_USERS", null, null));
        for (JsonElement u : all.getAsJsonArray()) {
            if (name.equals(u.getAsJsonObject().get("username").getAsString())) {
                return u.getAsJsonObject();
            }
        }
        throw new IllegalStateException("no user " + name + " in " + all);
    }

    private static String tokensFile() throws IOException {
        return Files.readString(gitblit.baseFolder().resolve("goproxy").resolve(TokenStore.FILE_NAME));
    }

    private static String curl(String header) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--fail", "--cacert", gitblit.caPem().toString(), "-H", header,
                gitblit.httpsUrl() + "/go/" + MODULE + "/@v/list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
