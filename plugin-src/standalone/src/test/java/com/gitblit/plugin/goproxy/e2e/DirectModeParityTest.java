package com.gitblit.plugin.goproxy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.standalone.StandaloneServer;
import com.gitblit.plugin.goproxy.testing.FixtureRepos;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;
import com.gitblit.plugin.goproxy.testing.JGitRepo;

/**
 * The correctness bar, end to end: the real go command downloads every fixture module version and query
 * once in direct mode (git, offline) and once through the standalone proxy over the same bare repositories.
 * Versions, .info (Version, Time), go.mod bytes and both h1 hashes must be identical, and a query must fail
 * through the proxy exactly when it fails in direct mode, except where the rules digest (section 19) decides
 * otherwise on purpose, which is asserted as such.
 */
@RequiresGitCli
@RequiresGo
@Tag("e2e")
@Tag("jgit")
class DirectModeParityTest {
    @TempDir
    static Path tmp;

    private static FixtureRepos fixtures;
    private static StandaloneServer server;
    private static GoCommand direct;
    private static GoCommand proxied;

    /** Module path → queries asked of both (test-fixtures/repos/queries.txt). */
    private static final Map<String, List<String>> QUERIES = new LinkedHashMap<>();

    static {
        try {
            for (String line : Files.readAllLines(Path.of("test-fixtures/repos/queries.txt"))) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\t");
                QUERIES.put(parts[0], Arrays.asList(parts[1].trim().split(" +")));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The cells the rules digest, section 19, decides differently from direct mode, with the proxy's decided
     * answer: versions whose go.mod names another module (19.1) or does not parse (19.2) are neither listed nor
     * served.
     */
    private static final Map<String, String> DECIDED = new LinkedHashMap<>();

    static {
        DECIDED.put("github.com/acme/other@list", "v1.1.0");
        DECIDED.put("github.com/acme/odd@list", "v1.0.0 v1.2.0");
        DECIDED.put("github.com/acme/odd@v1.1.0", "error");
    }

    @BeforeAll
    static void start() throws Exception {
        fixtures = FixtureRepos.build(tmp.resolve("repos"));
        server = StandaloneServer.start(new StandaloneServer.Config().repositories(fixtures.folder()).prefix("")
                .http("127.0.0.1", 0).settings(ProxySettings.builder().dataDirectory(tmp.resolve("data").toFile()).build()));
        direct = GoCommand.in(tmp.resolve("direct")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                .proxy("direct").writeGitConfig(fixtures.directModeGitConfig());
        proxied = GoCommand.in(tmp.resolve("proxied")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                .proxy("http://127.0.0.1:" + server.httpPort() + "/go/");
        // Through the proxy, git must never be needed: a config that breaks every github.com URL proves it.
        proxied.writeGitConfig("[url \"file:///nonexistent/\"]\n\tinsteadOf = https://github.com/\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * The checked-in expectations (test-fixtures/repos/expected-direct.txt, written by regenerate-expected.sh from
     * go in direct mode) still hold for both: direct mode today, and the proxy.
     */
    @Test
    void checkedInExpectationsHold() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("test-fixtures/repos/expected-direct.txt"))) {
            int tab = line.indexOf('\t');
            expected.put(line.substring(0, tab), line.substring(tab + 1));
        }
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : QUERIES.entrySet()) {
            for (GoCommand go : new GoCommand[] {direct, proxied}) {
                String who = go == direct ? "direct" : "proxy";
                String list = versions(go, e.getKey());
                String want = expected.get(e.getKey() + "@list");
                if (go == proxied && DECIDED.containsKey(e.getKey() + "@list")) {
                    want = DECIDED.get(e.getKey() + "@list");
                }
                if (!list.equals(want.trim())) {
                    diffs.add(who + " " + e.getKey() + "@list: [" + list + "], expected [" + want + "]");
                }
                for (String q : e.getValue()) {
                    GoCommand.Result r = go.run(tmp, "mod", "download", "-json", e.getKey() + "@" + q);
                    JsonObject o = byQuery(r.stdout()).get(e.getKey() + "@" + q);
                    String got = o == null || o.has("Error") ? "error" : String.join("\t", o.get("Version").getAsString(),
                            new Gson().fromJson(read(o, "Info"), JsonObject.class).get("Time").getAsString(),
                            o.get("Sum").getAsString(), o.get("GoModSum").getAsString());
                    String want1 = expected.get(e.getKey() + "@" + q);
                    if (go == proxied && DECIDED.containsKey(e.getKey() + "@" + q)) {
                        want1 = DECIDED.get(e.getKey() + "@" + q);
                    }
                    if (!got.equals(want1)) {
                        diffs.add(who + " " + e.getKey() + "@" + q + ": " + got + ", expected " + want1);
                    }
                }
            }
        }
        assertTrue(diffs.isEmpty(), "regenerate with test-fixtures/repos/regenerate-expected.sh if the fixtures changed on"
                + " purpose:\n" + String.join("\n", diffs));
    }

    /** A module whose go.mod requires another served module: go get resolves both through the proxy. */
    @Test
    void goGetResolvesDependenciesThroughTheProxy() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("consumer"));
        Files.writeString(app.resolve("go.mod"), "module example.com/consumer\n\ngo 1.19\n");
        Files.writeString(app.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\t\"github.com/acme/app\"\n)\n\n"
                + "func main() { fmt.Println(app.Greeting()) }\n");
        GoCommand.Result get = proxied.run(app, "get", "github.com/acme/app@v1.0.0");
        assertEquals(0, get.exit(), get.toString());
        GoCommand.Result run = proxied.run(app, "run", ".");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("hello, again\n", run.stdout());
        String goSum = Files.readString(app.resolve("go.sum"));
        assertTrue(goSum.contains("github.com/acme/lib v1.1.0 h1:") && goSum.contains("github.com/acme/app v1.0.0 h1:"), goSum);
    }

    /** GOPROXY=ours,<second>: a module path outside our namespace gets a plain 404 and go asks the next proxy. */
    @Test
    void pathsOutsideTheNamespaceFallThroughTheChain() throws Exception {
        Path otherRepos = tmp.resolve("elsewhere");
        Files.createDirectories(otherRepos.resolve("example.org"));
        JGitRepo.bareModule(
                otherRepos.resolve("example.org/ext.git"), "example.org/ext", tmp.resolve("ext-work"));
        try (StandaloneServer ours = StandaloneServer.start(new StandaloneServer.Config()
                .repositories(fixtures.folder().resolve("github.com/acme")).prefix("github.com/acme").http("127.0.0.1", 0));
             StandaloneServer second = StandaloneServer.start(new StandaloneServer.Config().repositories(otherRepos)
                .prefix("").http("127.0.0.1", 0))) {
            GoCommand chained = GoCommand.in(tmp.resolve("chained")).with("GOSUMDB", "off").with("GOFLAGS", "-modcacherw")
                    .proxy("http://127.0.0.1:" + ours.httpPort()
                    + "/go/,http://127.0.0.1:" + second.httpPort() + "/go/");
            GoCommand.Result r = chained.run(tmp, "mod", "download", "-json", "example.org/ext@v1.0.0",
                    "github.com/acme/lib@v1.0.0");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().contains("\"Path\": \"example.org/ext\"") && r.stdout().contains("\"Sum\": \"h1:"), r.toString());
        }
    }

    @Test
    void downloadsAreIdentical() throws Exception {
        List<String> diffs = new ArrayList<>();
        int compared = 0;
        int succeeded = 0;
        for (Map.Entry<String, List<String>> e : QUERIES.entrySet()) {
            List<String> args = new ArrayList<>(Arrays.asList("mod", "download", "-json"));
            for (String q : e.getValue()) {
                args.add(e.getKey() + "@" + q);
            }
            Map<String, JsonObject> d = byQuery(direct.run(tmp, args.toArray(new String[0])).stdout());
            Map<String, JsonObject> p = byQuery(proxied.run(tmp, args.toArray(new String[0])).stdout());
            for (String q : e.getValue()) {
                String what = e.getKey() + "@" + q;
                JsonObject dj = d.get(what);
                JsonObject pj = p.get(what);
                if (dj == null || pj == null) {
                    diffs.add(what + ": no answer (direct " + dj + ", proxy " + pj + ")");
                    continue;
                }
                compared++;
                boolean dErr = dj.has("Error");
                boolean pErr = pj.has("Error");
                if (DECIDED.containsKey(what)) {
                    assertTrue(pErr, what + " is withheld on purpose (section 19): " + pj);
                    continue;
                }
                if (dErr != pErr) {
                    diffs.add(what + ": direct " + (dErr ? "fails: " + dj.get("Error") : "succeeds " + dj.get("Version"))
                            + ", proxy " + (pErr ? "fails: " + pj.get("Error") : "succeeds " + pj.get("Version")));
                    continue;
                }
                if (dErr) {
                    continue;
                }
                succeeded++;
                for (String field : new String[] {"Version", "Sum", "GoModSum"}) {
                    if (!String.valueOf(dj.get(field)).equals(String.valueOf(pj.get(field)))) {
                        diffs.add(what + ": " + field + " direct " + dj.get(field) + ", proxy " + pj.get(field));
                    }
                }
                JsonObject di = new Gson().fromJson(read(dj, "Info"), JsonObject.class);
                JsonObject pi = new Gson().fromJson(read(pj, "Info"), JsonObject.class);
                for (String field : new String[] {"Version", "Time"}) {
                    if (!di.get(field).equals(pi.get(field))) {
                        diffs.add(what + ": .info " + field + " direct " + di.get(field) + ", proxy " + pi.get(field));
                    }
                }
                if (!read(dj, "GoMod").equals(read(pj, "GoMod"))) {
                    diffs.add(what + ": go.mod bytes differ");
                }
            }
        }
        if (!diffs.isEmpty()) {
            fail(diffs.size() + " differences between direct mode and the proxy:\n" + String.join("\n", diffs));
        }
        assertTrue(compared > 35 && succeeded > 28, "compared " + compared + ", of which downloads " + succeeded);
    }

    @Test
    void versionListsAreIdentical() {
        List<String> diffs = new ArrayList<>();
        for (String module : QUERIES.keySet()) {
            String d = versions(direct, module);
            String p = versions(proxied, module);
            if (DECIDED.containsKey(module + "@list")) {
                assertTrue(!d.equals(DECIDED.get(module + "@list")), module + ": direct mode lists the withheld version");
                d = DECIDED.get(module + "@list");
            }
            if (!d.equals(p)) {
                diffs.add(module + ": direct [" + d + "], proxy [" + p + "]");
            }
        }
        if (!diffs.isEmpty()) {
            fail(String.join("\n", diffs));
        }
    }

    /**
     * Pseudo-versions asked for explicitly are validated as direct mode validates them: the one direct mode
     * computes works through the proxy; one second off, a shortened hash, or an unknown commit fails in both.
     */
    @Test
    void explicitPseudoVersionsAreValidatedAlike() throws Exception {
        String module = "github.com/acme/lib";
        JsonObject main = byQuery(direct.run(tmp, "mod", "download", "-json", module + "@feature").stdout())
                .get(module + "@feature");
        String pseudo = main.get("Version").getAsString();
        String[] parts = pseudo.split("-");
        String stamp = parts[parts.length - 2];
        String oneSecondOff = pseudo.replace(stamp, stamp.substring(0, 13) + (stamp.charAt(13) == '9' ? '8' : (char) (stamp.charAt(13) + 1)));
        String shortHash = pseudo.substring(0, pseudo.length() - 1);
        List<String> asked = Arrays.asList(pseudo, oneSecondOff, shortHash, "v0.0.0-20240101000000-0123456789ab",
                "v1.1.1-0.20240101000000-0123456789ab");
        List<String> args = new ArrayList<>(Arrays.asList("mod", "download", "-json"));
        for (String v : asked) {
            args.add(module + "@" + v);
        }
        Map<String, JsonObject> d = byQuery(direct.run(tmp, args.toArray(new String[0])).stdout());
        Map<String, JsonObject> p = byQuery(proxied.run(tmp, args.toArray(new String[0])).stdout());
        for (String v : asked) {
            JsonObject dj = d.get(module + "@" + v);
            JsonObject pj = p.get(module + "@" + v);
            assertEquals(dj.has("Error"), pj.has("Error"), v + ": direct " + dj + "\nproxy " + pj);
            if (!dj.has("Error")) {
                assertEquals(dj.get("Sum"), pj.get("Sum"), v);
            }
        }
        assertTrue(!d.get(module + "@" + pseudo).has("Error") && d.get(module + "@" + oneSecondOff).has("Error"));
    }

    /** Rules digest 19.1: a version whose go.mod names another module is neither listed nor served. */
    @Test
    void foreignModulePathIsWithheldOnPurpose() {
        String module = "github.com/acme/other";
        GoCommand.Result d = direct.run(tmp, "mod", "download", "-json", module + "@v1.0.0");
        GoCommand.Result p = proxied.run(tmp, "mod", "download", "-json", module + "@v1.0.0");
        assertEquals(0, d.exit(), d.toString());
        assertTrue(p.exit() != 0 && p.stdout().contains("declares module"), p.toString());
        assertEquals("v1.1.0", versions(proxied, module));
    }

    private static String versions(GoCommand go, String module) {
        GoCommand.Result r = go.run(tmp, "list", "-m", "-json", "-versions", module);
        if (r.exit() != 0) {
            return "error";
        }
        JsonElement v = new Gson().fromJson(r.stdout(), JsonObject.class).get("Versions");
        List<String> list = new ArrayList<>();
        if (v != null) {
            for (JsonElement x : v.getAsJsonArray()) {
                list.add(x.getAsString());
            }
        }
        return String.join(" ", list);
    }

    /** go mod download -json prints one object per argument; the key is module@query as asked. */
    private static Map<String, JsonObject> byQuery(String stdout) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(stdout));
        reader.setLenient(true);
        Gson gson = new Gson();
        try {
            while (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                JsonObject o = gson.fromJson(reader, JsonObject.class);
                String query = o.has("Query") ? o.get("Query").getAsString() : o.get("Version").getAsString();
                out.put(o.get("Path").getAsString() + "@" + query, o);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static String read(JsonObject o, String field) throws java.io.IOException {
        return new String(Files.readAllBytes(Path.of(o.get(field).getAsString())), StandardCharsets.UTF_8);
    }
}
