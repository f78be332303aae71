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
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The plugin in a real Gitblit (1.9.3 and 1.10.0), with the real go command: who gets what.
 *
 * <p>The matrix (DESIGN.md "Who sees what", rules digest 19.4): callers anonymous / reader (alice: clone rights
 * where needed) / no rights (bob) / admin, against repositories public (PUSH) / clone-restricted (CLONE) /
 * view-restricted for signed-in users (VIEW, AUTHENTICATED) / private (VIEW, NAMED) / Go not enabled / absent.
 * Each cell is asked through the proxy ({@code @v/list}) and through go-get discovery, which must agree: 200, or
 * the uniform miss, whose status, headers and body (module path aside) are the same in every miss cell.
 *
 * <p>Also: {@code .netrc} credentials over HTTPS for the go command, Gitblit's own pages, clone and push still
 * working, the Go switch flipped through RPC (as the Edit Repository form does) taking effect at once, the field
 * on the Edit Repository page, {@code web.authenticateViewPages}, the project bases, the browser redirect, and the
 * repository listener.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GitblitAccessMatrixIT {
    static final String NS = "127.0.0.1";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-secret";
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-secret";

    private static GitblitInstance gitblit;
    private static Path work;

    /** Repository kinds of the matrix: Gitblit name, or null for "absent". */
    enum Repo {
        PUBLIC("matrix/public.git"), CLONE_RESTRICTED("matrix/clone.git"), VIEW_RESTRICTED("matrix/view.git"),
        PRIVATE("matrix/private.git"), NOT_ENABLED("matrix/disabled.git"), ABSENT(null);

        final String name;

        Repo(String name) {
            this.name = name;
        }

        String modulePath() {
            return NS + "/" + (name == null ? "matrix/absent" : name.substring(0, name.length() - ".git".length()));
        }
    }

    enum Who { ANONYMOUS, READER, NO_RIGHTS, ADMIN }

    @BeforeAll
    static void start() throws IOException {
        gitblit = GitblitInstance.builder("access-matrix-it").goProxyPlugin()
                .user(ALICE, ALICE_PASSWORD).user(BOB, BOB_PASSWORD).start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        Map<String, String> on = Map.of("goProxy", "true");
        gitblit.createRepository(Repo.PUBLIC.name, Restriction.PUSH, Authorization.NAMED, on);
        gitblit.createRepository(Repo.CLONE_RESTRICTED.name, Restriction.CLONE, Authorization.NAMED, on);
        gitblit.createRepository(Repo.VIEW_RESTRICTED.name, Restriction.VIEW, Authorization.AUTHENTICATED, on);
        gitblit.createRepository(Repo.PRIVATE.name, Restriction.VIEW, Authorization.NAMED, on);
        gitblit.createRepository(Repo.NOT_ENABLED.name, Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "false"));
        gitblit.setUserPermission(Repo.CLONE_RESTRICTED.name, ALICE, Permission.CLONE);
        gitblit.setUserPermission(Repo.PRIVATE.name, ALICE, Permission.CLONE);
        for (Repo repo : Repo.values()) {
            if (repo.name != null) {
                importModule(repo.name, repo.modulePath(), "v1.0.0");
            }
        }
        gitblit.createRepository("other/lib.git", Restriction.PUSH, Authorization.NAMED, on);
        importModule("other/lib.git", NS + "/other/lib", "v0.1.0");
        gitblit.createRepository("top.git", Restriction.PUSH, Authorization.NAMED, on);
        importModule("top.git", NS + "/top", "v0.2.0");
        // Parent paths: a private repository whose path is the parent of a public one, and a folder that holds
        // only a private repository.
        gitblit.createRepository("parent.git", Restriction.VIEW, Authorization.NAMED, on);
        gitblit.setUserPermission("parent.git", ALICE, Permission.CLONE);
        importModule("parent.git", NS + "/parent", "v1.0.0");
        gitblit.createRepository("parent/child.git", Restriction.PUSH, Authorization.NAMED, on);
        importModule("parent/child.git", NS + "/parent/child", "v1.0.0");
        gitblit.createRepository("secret/inner.git", Restriction.VIEW, Authorization.NAMED, on);
        gitblit.setUserPermission("secret/inner.git", ALICE, Permission.CLONE);
        importModule("secret/inner.git", NS + "/secret/inner", "v1.0.0");
    }

    private static void importModule(String repository, String modulePath, String... tags) {
        LocalRepo.module(work.resolve("src/" + repository), modulePath, tags)
                .pushTo(gitblit.repositoriesFolder().resolve(repository));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    // ------------------------------------------------------------------ the matrix

    static int expectedStatus(Who who, Repo repo) {
        boolean allowed = switch (repo) {
            case PUBLIC -> true;
            case CLONE_RESTRICTED, PRIVATE -> who == Who.READER || who == Who.ADMIN;
            case VIEW_RESTRICTED -> who != Who.ANONYMOUS;
            case NOT_ENABLED, ABSENT -> false;
        };
        return allowed ? 200 : who == Who.ANONYMOUS ? 401 : 404;
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Who who : Who.values()) {
            for (Repo repo : Repo.values()) {
                cells.add(Arguments.of(who, repo));
            }
        }
        return cells.stream();
    }

    static HttpResponse<String> get(URI base, String path, Who who) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        switch (who) {
            case READER -> b.header("Authorization", basic(ALICE, ALICE_PASSWORD));
            case NO_RIGHTS -> b.header("Authorization", basic(BOB, BOB_PASSWORD));
            case ADMIN -> b.header("Authorization", basic(GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD));
            default -> { }
        }
        return gitblit.send(b.build());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cells")
    void theProxyAnswersEachCell(Who who, Repo repo) {
        HttpResponse<String> rsp = get(gitblit.httpsUrl(), "/go/" + repo.modulePath() + "/@v/list", who);
        int want = expectedStatus(who, repo);
        assertEquals(want, rsp.statusCode(), who + " on " + repo + ": " + rsp.body());
        if (want == 200) {
            assertEquals("v1.0.0\n", rsp.body());
        } else {
            assertMiss(rsp, repo.modulePath(), want);
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cells")
    void goGetDiscoveryAgreesWithTheProxy(Who who, Repo repo) {
        String path = repo.modulePath().substring(NS.length()) + "/some/package?go-get=1";
        HttpResponse<String> rsp = get(gitblit.httpsUrl(), path, who);
        int want = expectedStatus(who, repo);
        assertEquals(want, rsp.statusCode(), who + " on " + repo + ": " + rsp.body());
        if (want == 200) {
            assertEquals("text/html;charset=utf-8", contentType(rsp));
            assertTrue(rsp.body().contains("<meta name=\"go-import\" content=\"" + repo.modulePath() + " mod "
                    + gitblit.httpsUrl() + "/go\">"), rsp.body());
        } else {
            assertFalse(rsp.body().contains("go-import"), rsp.body());
            assertMiss(rsp, repo.modulePath() + "/some/package", want);
        }
    }

    /** Every miss: one line naming the module, no-store, a Basic challenge for anonymous callers only. */
    static void assertMiss(HttpResponse<String> rsp, String modulePath, int status) {
        assertEquals(status, rsp.statusCode());
        assertEquals("not found: module " + modulePath + ": no such module, or access denied\n", rsp.body());
        assertEquals("text/plain;charset=utf-8", contentType(rsp));
        assertEquals("no-store", rsp.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(status == 401 ? List.of("Basic realm=\"Gitblit\"") : List.of(),
                rsp.headers().allValues("WWW-Authenticate"));
    }

    /**
     * The Content-Type without case and optional white space: Gitblit 1.9.3's Jetty sends the plugin's
     * {@code text/plain; charset=utf-8} as written, 1.10.0's (Jetty 9.4) as {@code text/plain;charset=utf-8}; HTTP
     * treats them alike.
     */
    static String contentType(HttpResponse<String> rsp) {
        return rsp.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void missesAreIdenticalWhateverTheReason() {
        // Status, headers and body with the module path taken out: one shape per status, whatever the reason.
        Map<String, Map<Integer, String>> answers = new TreeMap<>();
        for (Who who : Who.values()) {
            for (Repo repo : Repo.values()) {
                if (expectedStatus(who, repo) == 200) {
                    continue;
                }
                HttpResponse<String> rsp = get(gitblit.httpsUrl(), "/go/" + repo.modulePath() + "/@v/list", who);
                String shape = rsp.statusCode() + " " + headersOf(rsp) + "\n" + rsp.body().replace(repo.modulePath(), "<module>");
                answers.computeIfAbsent(shape, k -> new TreeMap<>()).put(who.ordinal() * 10 + repo.ordinal(), who + "/" + repo);
            }
        }
        // Exactly two shapes: the anonymous 401 and the signed-in 404.
        assertEquals(2, answers.size(), answers.toString());
    }

    private static String headersOf(HttpResponse<String> rsp) {
        Map<String, List<String>> h = new TreeMap<>(rsp.headers().map());
        h.remove("date");
        h.remove("content-length");
        return h.toString();
    }

    // ------------------------------------------------------------------ parent paths (go-proxy rules 19.8)

    /**
     * Parent paths: what each caller gets for a module path that is a proper path prefix of other modules. The go
     * command asks every prefix of a package path, and reports a 401 above the module's own error; so a proper
     * prefix of a module the caller may download answers 404, the same whatever exists there (here: a private
     * repository, or nothing), and only a prefix of modules the caller may not download keeps the 401.
     */
    static Stream<Arguments> parentPaths() {
        return Stream.of(
                // path                          anonymous  reader (alice)  no rights (bob)
                Arguments.of(NS + "/parent", 404, 200, 404),    // private parent.git above public parent/child.git
                Arguments.of(NS + "/matrix", 404, 404, 404),    // nothing there, public matrix/public.git below
                Arguments.of(NS + "/secret", 401, 404, 404),    // nothing there, only private secret/inner.git below
                Arguments.of(NS + "/parent/child", 200, 200, 200));
    }

    @ParameterizedTest(name = "{0}: anonymous {1}, reader {2}, no rights {3}")
    @MethodSource("parentPaths")
    void aParentPathOfADownloadableModuleIsNotFoundRatherThanUnauthorized(String path, int anonymous, int reader,
            int noRights) {
        Map<Who, Integer> want = Map.of(Who.ANONYMOUS, anonymous, Who.READER, reader, Who.NO_RIGHTS, noRights);
        for (Map.Entry<Who, Integer> cell : want.entrySet()) {
            HttpResponse<String> rsp = get(gitblit.httpsUrl(), "/go/" + path + "/@v/list", cell.getKey());
            assertEquals((int) cell.getValue(), rsp.statusCode(), cell.getKey() + " on " + path + ": " + rsp.body());
            if (cell.getValue() == 200) {
                assertEquals("v1.0.0\n", rsp.body());
            } else {
                assertMiss(rsp, path, cell.getValue());
            }
        }
    }

    @ParameterizedTest(name = "{0}: anonymous {1}, reader {2}, no rights {3}")
    @MethodSource("parentPaths")
    void goGetDiscoveryOfAParentPathAgreesWithTheProxy(String path, int anonymous, int reader, int noRights) {
        Map<Who, Integer> want = Map.of(Who.ANONYMOUS, anonymous, Who.READER, reader, Who.NO_RIGHTS, noRights);
        for (Map.Entry<Who, Integer> cell : want.entrySet()) {
            HttpResponse<String> rsp = get(gitblit.httpsUrl(), path.substring(NS.length()) + "?go-get=1", cell.getKey());
            assertEquals((int) cell.getValue(), rsp.statusCode(), cell.getKey() + " on " + path + ": " + rsp.body());
            assertEquals(cell.getValue() == 200, rsp.body().contains("go-import"), rsp.body());
        }
    }

    @Test
    void gitblitsLoginCookieAuthenticatesLikeCredentials() throws IOException {
        // The "Gitblit" cookie a browser gets when signing in to the web UI: the user's cookie from users.conf.
        String users = Files.readString(gitblit.baseFolder().resolve("users.conf"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\[user \"alice\"\\][^\\[]*?cookie = ([0-9a-f]+)").matcher(users);
        assertTrue(m.find(), users);
        String path = Repo.PRIVATE.modulePath().substring(NS.length()) + "?go-get=1";
        assertEquals(401, get(gitblit.httpUrl(), path, Who.ANONYMOUS).statusCode());
        HttpResponse<String> withCookie = gitblit.send(HttpRequest.newBuilder(gitblit.httpUrl().resolve(path))
                .header("Cookie", "Gitblit=" + m.group(1)).GET().build());
        assertEquals(200, withCookie.statusCode(), withCookie.body());
        assertTrue(withCookie.body().contains("go-import"));
        HttpResponse<String> wrongCookie = gitblit.send(HttpRequest.newBuilder(gitblit.httpUrl().resolve(path))
                .header("Cookie", "Gitblit=0123456789abcdef").GET().build());
        assertEquals(401, wrongCookie.statusCode());
    }

    // ------------------------------------------------------------------ the go command

    private static GoCommand go(String name) {
        return GoCommand.in(work.resolve("go-" + name))
                .with("GOPROXY", gitblit.httpsUrl() + "/go")
                .with("GONOSUMDB", NS)
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    @Test
    void netrcCredentialsLetTheGoCommandDownloadAPrivateModuleOverHttps() {
        GoCommand alice = go("netrc-alice").withNetrc(NS, ALICE, ALICE_PASSWORD);
        GoCommand.Result r = alice.ok(alice.home(), "mod", "download", "-json", Repo.PRIVATE.modulePath() + "@v1.0.0");
        assertTrue(r.stdout().contains("\"Version\": \"v1.0.0\""), r.toString());
        assertTrue(r.stdout().contains("\"Sum\": \"h1:"), r.toString());

        GoCommand anonymous = go("netrc-none");
        GoCommand.Result refused = anonymous.run(anonymous.home(), "mod", "download", "-json",
                Repo.PRIVATE.modulePath() + "@v1.0.0");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.stdout().contains("401 Unauthorized"), refused.toString());

        GoCommand bob = go("netrc-bob").withNetrc(NS, BOB, BOB_PASSWORD);
        GoCommand.Result missing = bob.run(bob.home(), "mod", "download", "-json", Repo.PRIVATE.modulePath() + "@v1.0.0");
        assertNotEquals(0, missing.exit(), missing.toString());
        assertTrue(missing.stdout().contains("404 Not Found"), missing.toString());
    }

    @Test
    void aProjectBaseListsItsOwnModulesAndRefusesTheOthers() {
        GoCommand matrix = go("project").with("GOPROXY", gitblit.httpsUrl() + "/go/@project/matrix");
        GoCommand.Result own = matrix.ok(matrix.home(), "list", "-m", "-versions", Repo.PUBLIC.modulePath());
        assertEquals(Repo.PUBLIC.modulePath() + " v1.0.0\n", own.stdout());
        GoCommand.Result foreign = matrix.run(matrix.home(), "list", "-m", "-versions", NS + "/other/lib");
        assertNotEquals(0, foreign.exit(), foreign.toString());
        assertTrue(foreign.stderr().contains("401 Unauthorized"), foreign.toString());

        HttpResponse<String> otherForAlice = get(gitblit.httpsUrl(), "/go/@project/matrix/" + NS + "/other/lib/@v/list",
                Who.READER);
        assertMiss(otherForAlice, NS + "/other/lib", 404);
        assertEquals("v0.1.0\n", get(gitblit.httpsUrl(), "/go/@project/other/" + NS + "/other/lib/@v/list", Who.READER).body());
        // Top-level repositories are Gitblit's root project, "main" by default.
        assertEquals("v0.2.0\n", get(gitblit.httpsUrl(), "/go/@project/main/" + NS + "/top/@v/list", Who.ANONYMOUS).body());
        assertMiss(get(gitblit.httpsUrl(), "/go/@project/main/" + NS + "/other/lib/@v/list", Who.ANONYMOUS),
                NS + "/other/lib", 401);
        HttpResponse<String> noProject = get(gitblit.httpsUrl(), "/go/@project/", Who.ANONYMOUS);
        assertEquals(404, noProject.statusCode());
        assertEquals("text/plain;charset=utf-8", contentType(noProject));
    }

    // ------------------------------------------------------------------ Gitblit keeps working

    @Test
    void gitblitsOwnPagesStillAnswer() {
        for (String page : List.of("/", "/repositories/", "/summary/?r=" + Repo.PUBLIC.name, "/project/matrix")) {
            HttpResponse<String> rsp = get(gitblit.httpUrl(), page, Who.ANONYMOUS);
            assertEquals(200, rsp.statusCode(), page);
            assertTrue(rsp.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page);
        }
        assertTrue(get(gitblit.httpUrl(), "/summary/?r=" + Repo.PUBLIC.name, Who.ANONYMOUS).body().contains("matrix/public.git"));
        // Gitblit's own 401 for a private repository's git endpoint, unchanged.
        HttpResponse<String> refs = get(gitblit.httpUrl(), "/r/" + Repo.PRIVATE.name + "/info/refs?service=git-upload-pack",
                Who.ANONYMOUS);
        assertEquals(401, refs.statusCode());
    }

    @Test
    void cloneAndPushStillWork() throws IOException {
        Path clone = work.resolve("clone-public");
        gitblit.git().run(work, "clone", "-q", gitblit.httpUrl() + "/r/" + Repo.PUBLIC.name, clone.toString());
        assertTrue(Files.readString(clone.resolve("go.mod")).startsWith("module " + Repo.PUBLIC.modulePath()));
        Path pushed = work.resolve("src/pushed");
        LocalRepo.module(pushed, NS + "/matrix/pushed", "v0.0.1");
        gitblit.push(pushed, "matrix/pushed.git", GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        String tags = gitblit.git().run(work, "ls-remote", "--tags", gitblit.cloneUrl("matrix/pushed.git"));
        assertTrue(tags.contains("refs/tags/v0.0.1"), tags);
    }

    // ------------------------------------------------------------------ switching Go on and off

    @Test
    void theGoSwitchTakesEffectWithoutRestart() {
        String name = "matrix/later.git";
        String module = NS + "/matrix/later";
        gitblit.createRepository(name, Restriction.PUSH, Authorization.NAMED, Map.of());
        importModule(name, module, "v0.3.0");
        assertMiss(get(gitblit.httpsUrl(), "/go/" + module + "/@v/list", Who.READER), module, 404);

        editRepository(name, model -> {
            JsonObject fields = new JsonObject();
            fields.addProperty("goProxy", "true");
            model.add("customFields", fields);
        });
        assertEquals("v0.3.0\n", get(gitblit.httpsUrl(), "/go/" + module + "/@v/list", Who.READER).body());

        editRepository(name, model -> model.getAsJsonObject("customFields").addProperty("goProxy", "false"));
        assertMiss(get(gitblit.httpsUrl(), "/go/" + module + "/@v/list", Who.READER), module, 404);
    }

    @Test
    void theEditRepositoryPageOffersTheGoSwitch() {
        HttpResponse<String> page = get(gitblit.httpUrl(), "/edit/?r=" + Repo.PUBLIC.name, Who.ADMIN);
        assertEquals(200, page.statusCode());
        String html = page.body();
        int label = html.indexOf(CustomFieldRegistration.LABEL);
        assertTrue(label > 0, "no Go switch on the Edit Repository page:\n" + html);
        int input = html.indexOf("<input", label);
        assertTrue(input > 0 && html.substring(input, html.indexOf('>', input)).contains("value=\"true\""),
                "the switch does not show the repository's value: " + html.substring(label, Math.min(html.length(), label + 400)));
    }

    @Test
    void gitblitRequiringLoginForPagesHidesEverythingFromAnonymousCallers() {
        setSetting("web.authenticateViewPages", "true");
        try {
            assertMiss(get(gitblit.httpsUrl(), "/go/" + Repo.PUBLIC.modulePath() + "/@v/list", Who.ANONYMOUS),
                    Repo.PUBLIC.modulePath(), 401);
            assertEquals(401, get(gitblit.httpsUrl(), Repo.PUBLIC.modulePath().substring(NS.length()) + "?go-get=1",
                    Who.ANONYMOUS).statusCode());
            assertEquals("v1.0.0\n", get(gitblit.httpsUrl(), "/go/" + Repo.PUBLIC.modulePath() + "/@v/list", Who.NO_RIGHTS).body());
        } finally {
            setSetting("web.authenticateViewPages", "false");
        }
        assertEquals(200, get(gitblit.httpsUrl(), "/go/" + Repo.PUBLIC.modulePath() + "/@v/list", Who.ANONYMOUS).statusCode());
    }

    // ------------------------------------------------------------------ browsers

    @Test
    void aModulePathOpenedInABrowserLeadsToTheRepositoryPage() {
        HttpResponse<String> rsp = get(gitblit.httpUrl(), "/matrix/public/some/package", Who.ANONYMOUS);
        assertEquals(302, rsp.statusCode(), rsp.body());
        String location = rsp.headers().firstValue("Location").orElse("");
        assertTrue(location.endsWith("/summary/?r=matrix/public.git"), location);
        HttpResponse<String> page = get(gitblit.httpUrl(), URI.create(location).getRawPath() + "?"
                + URI.create(location).getRawQuery(), Who.ANONYMOUS);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("matrix/public.git"));

        // Private: Gitblit's own 404 for anonymous visitors, the redirect for a permitted user.
        HttpResponse<String> hidden = get(gitblit.httpUrl(), "/matrix/private", Who.ANONYMOUS);
        assertEquals(404, hidden.statusCode());
        assertFalse(hidden.headers().firstValue("Location").isPresent());
        assertTrue(hidden.body().contains("HTTP ERROR 404"), "not Gitblit's (Jetty's) own 404 page: " + hidden.body());
        assertEquals(302, get(gitblit.httpUrl(), "/matrix/private", Who.READER).statusCode());
        // Not enabled, absent, Gitblit's servlet paths: untouched.
        assertEquals(404, get(gitblit.httpUrl(), "/matrix/disabled", Who.ADMIN).statusCode());
        assertEquals(404, get(gitblit.httpUrl(), "/matrix/absent", Who.ADMIN).statusCode());
        // A repository named like one of Gitblit's servlet paths: the servlet keeps its URLs, 404s included.
        gitblit.createRepository("raw/tool.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        HttpResponse<String> raw = get(gitblit.httpUrl(), "/raw/tool/master/go.mod", Who.ADMIN);
        assertNotEquals(302, raw.statusCode(), raw.headers().toString());
    }

    // ------------------------------------------------------------------ repository life cycle

    @Test
    void deletingOrRenamingARepositoryPurgesItsCache() throws IOException {
        gitblit.createRepository("matrix/gone.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("matrix/moving.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.rpc("DELETE_REPOSITORY", "matrix/gone.git", repositoryModel("matrix/gone.git").toString());
        editRepository("matrix/moving.git", model -> model.addProperty("name", "matrix/moved.git"));
        String log = Files.readString(gitblit.logFile(), StandardCharsets.UTF_8);
        assertTrue(log.contains("goproxy: repository matrix/gone.git deleted"), gitblit.logTail());
        assertTrue(log.contains("goproxy: repository matrix/moving.git renamed to matrix/moved.git"), gitblit.logTail());
    }

    // ------------------------------------------------------------------ helpers

    private static JsonObject repositoryModel(String name) {
        JsonObject all = gitblit.listRepositories();
        for (Map.Entry<String, com.google.gson.JsonElement> e : all.entrySet()) {
            JsonObject model = e.getValue().getAsJsonObject();
            if (model.get("name").getAsString().equals(name)) {
                return model;
            }
        }
        throw new AssertionError("no repository " + name + " in " + all);
    }

    /** As the Edit Repository form does: the whole model, changed, sent back under its old name. */
    private static void editRepository(String name, java.util.function.Consumer<JsonObject> change) {
        JsonObject model = repositoryModel(name);
        change.accept(model);
        gitblit.rpc("EDIT_REPOSITORY", name, model.toString());
    }

    private static void setSetting(String key, String value) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(key, value);
        gitblit.rpc("EDIT_SETTINGS", null, new com.google.gson.Gson().toJson(settings));
    }
}
