package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GitblitSsh;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Releases checked at push, in a real Gitblit (1.9.3 and 1.10.0) with the real git CLI pushing over HTTPS and the
 * real go command downloading: each verdict in the push output ({@code remote: goproxy: ...}) in the proxy's own
 * words (the same sentence its 404 sends), {@code reject} refusing exactly the bad version tags, a released
 * (downloaded) tag warned about when moved and refused with {@code protectReleasedTags = reject}, the admin's
 * {@code goproxy forget}, a wrong tag fixed before any download leaving no trace, and the first download served
 * from the zip pre-built after the push, with the h1 direct mode computes.
 *
 * <p>The module namespace is {@code github.com/acme}, so that the go command in direct mode can read the same
 * repositories straight from Gitblit's folder (a git {@code insteadOf}), without go-get discovery.
 */
@RequiresGo
@RequiresGitCli
@Tag(GitblitInstance.EVERY_VERSION)
class PushChecksIT {
    private static final String NS = "github.com/acme";
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** A short pre-build queue, so that one push overflows it. */
    private static final int QUEUE = 2;

    private static GitblitInstance gitblit;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        gitblit = GitblitInstance.builder("push-checks-it").goProxyPlugin().ssh().pluginSetting("moduleHost", NS)
                .pluginSetting("prebuildQueueLength", Integer.toString(QUEUE)).start();
        work = Files.createDirectories(gitblit.home().resolve("work"));
    }

    @AfterAll
    static void stop() {
        if (gitblit != null) {
            gitblit.close();
        }
    }

    @Test
    void eachKindOfTagGetsTheProxysVerdictAndWarnModeRefusesNothing() throws IOException {
        gitblit.createRepository("kinds.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        Path local = work.resolve("kinds");
        git(local, "init", "-q", "-b", "master");
        String good = commit(local, "go.mod", "module " + NS + "/kinds\n\ngo 1.19\n", "k.go", "package kinds\n");
        git(local, "tag", "v1.0.0");
        git(local, "tag", "v1.2");
        git(local, "tag", "v0.0.0-20200101000000-abcdefabcdef");
        git(local, "tag", "release-1");
        git(local, "tag", "-a", "-m", "annotated", "v1.0.1");
        commit(local, "go.mod", "module example.com/fork\n");
        git(local, "tag", "v1.1.0");
        commit(local, "sub/s.go", "package sub\n");
        git(local, "tag", "sub/v0.1.0");

        Push push = push(local, "kinds.git", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        assertEquals(0, push.exit, push.output);
        assertLine(push, "remote: goproxy: " + NS + "/kinds@v1.0.0 will be served");
        assertLine(push, "remote: goproxy: " + NS + "/kinds@v1.0.1 will be served");
        assertLine(push, "remote: goproxy: tag v1.2 is ignored by the go command: v1.2 is not a canonical semantic"
                + " version (v1.2.0 would be)");
        assertLine(push, "remote: goproxy: tag v0.0.0-20200101000000-abcdefabcdef will not be served: it has the form"
                + " of a pseudo-version, which the go command never takes for a tagged version");
        assertTrue(push.output.lines().noneMatch(l -> l.contains("goproxy:") && l.contains("release-1")), push.output);
        // Why not, in the words of the proxy's own 404 for that version.
        for (String tag : List.of("v1.1.0", "sub/v0.1.0")) {
            String reason = reason(push, tag);
            String module = tag.startsWith("sub/") ? NS + "/kinds/sub" : NS + "/kinds";
            String version = tag.substring(tag.lastIndexOf('/') + 1);
            HttpResponse<String> rsp = gitblit.get(gitblit.httpsUrl(), "/go/" + module + "/@v/" + version + ".zip");
            assertEquals(404, rsp.statusCode(), rsp.body());
            assertTrue(rsp.body().contains(reason), "push said \"" + reason + "\", the proxy said " + rsp.body());
        }
        assertTrue(reason(push, "v1.1.0").contains("example.com/fork"), push.output);
        String remote = lsRemote("kinds.git");
        for (String ref : List.of("refs/heads/master", "refs/tags/v1.0.0", "refs/tags/v1.1.0", "refs/tags/v1.2",
                "refs/tags/release-1", "refs/tags/sub/v0.1.0", "refs/tags/v0.0.0-20200101000000-abcdefabcdef")) {
            assertTrue(remote.contains(ref), "warn mode refuses nothing: " + ref + " missing in\n" + remote);
        }
        assertTrue(remote.contains(good), remote);
    }

    @Test
    void rejectModeRefusesExactlyTheVersionTagsThatWouldNotBeServed() throws IOException {
        gitblit.createRepository("strict.git", Restriction.PUSH, Authorization.NAMED,
                Map.of("goProxy", "true", "goPushChecks", "reject"));
        Path local = work.resolve("strict");
        git(local, "init", "-q", "-b", "master");
        commit(local, "go.mod", "module " + NS + "/strict\n");
        git(local, "tag", "v1.0.0");
        git(local, "tag", "v1.2");
        git(local, "tag", "v0.0.0-20200101000000-abcdefabcdef");
        commit(local, "go.mod", "module example.com/fork\n");
        git(local, "tag", "v1.1.0");
        git(local, "tag", "release-1");
        git(local, "checkout", "-q", "-b", "feature");

        Push push = push(local, "strict.git", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        assertNotEquals(0, push.exit, "a refused ref fails the push: " + push.output);
        assertTrue(push.output.contains("goproxy: not a servable version (goproxy.pushChecks = reject)"), push.output);
        String remote = lsRemote("strict.git");
        for (String ref : List.of("refs/heads/master", "refs/heads/feature", "refs/tags/v1.0.0", "refs/tags/v1.2",
                "refs/tags/release-1")) {
            assertTrue(remote.contains(ref), ref + " must be accepted:\n" + remote + "\npush:\n" + push.output);
        }
        for (String ref : List.of("refs/tags/v1.1.0", "refs/tags/v0.0.0-20200101000000-abcdefabcdef")) {
            assertFalse(remote.contains(ref), ref + " must be refused:\n" + remote);
        }
    }

    @Test
    void releasedTagsArePinnedPrebuiltZipsServeTheFirstDownloadAndAdminsCanForget() throws IOException {
        gitblit.createRepository("lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        String module = NS + "/lib";
        Path local = work.resolve("lib");
        git(local, "init", "-q", "-b", "master");
        String c1 = commit(local, "go.mod", "module " + module + "\n\ngo 1.19\n", "lib.go",
                "package lib\n\n// One is the first release.\nconst One = 1\n" + "// padding\n".repeat(2000));
        git(local, "tag", "v1.0.0");
        Push first = push(local, "lib.git", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        assertEquals(0, first.exit, first.output);
        assertLine(first, "remote: goproxy: " + module + "@v1.0.0 will be served");

        // Ready before the first download: built after the push, under its commit, served as the first answer.
        awaitLog("pre-built " + module + "@v1.0.0 at " + c1);
        String sum = download(proxyClient(), module, "v1.0.0");
        assertEquals(download(directClient("lib.git"), module, "v1.0.0"), sum, "the h1 of direct mode");
        assertEquals(1, occurrences(log(), "building lib.git:" + module + "@v1.0.0("),
                "the first download must be served from the pre-built zip, not build again:\n" + gitblit.logTail());

        // A wrong tag fixed before anyone downloaded it leaves no trace.
        String wrong = commit(local, "lib.go", "package lib\n\n// Wrong.\nconst One = 0\n");
        git(local, "tag", "v1.1.0");
        assertEquals(0, push(local, "lib.git", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*").exit);
        awaitLog("pre-built " + module + "@v1.1.0 at " + wrong);
        String right = commit(local, "lib.go", "package lib\n\n// Right.\nconst One = 1\n");
        git(local, "tag", "-f", "v1.1.0");
        Push fix = push(local, "lib.git", "refs/heads/*:refs/heads/*", "+refs/tags/v1.1.0:refs/tags/v1.1.0");
        assertEquals(0, fix.exit, fix.output);
        assertFalse(fix.output.contains("pinned"), fix.output);
        assertEquals(download(directClient("lib.git"), module, "v1.1.0"), download(proxyClient(), module, "v1.1.0"));

        // Moving a released tag: warned (default), and downloads keep the pinned commit.
        git(local, "tag", "-f", "v1.0.0", right);
        Push moved = push(local, "lib.git", "+refs/tags/v1.0.0:refs/tags/v1.0.0");
        assertEquals(0, moved.exit, moved.output);
        assertLine(moved, "remote: goproxy: " + module + "@v1.0.0 was downloaded before and stays pinned to commit "
                + c1 + " for the go command; moving its tag changes nothing it serves");
        assertTrue(lsRemote("lib.git").contains(right + "\trefs/tags/v1.0.0"));
        assertEquals(sum, download(proxyClient(), module, "v1.0.0"));

        // With protectReleasedTags = reject, deleting (or moving) it is refused.
        editSetting("goproxy.protectReleasedTags", "reject");
        try {
            git(local, "tag", "-f", "v1.0.0", wrong);
            Push move = push(local, "lib.git", "+refs/tags/v1.0.0:refs/tags/v1.0.0");
            assertNotEquals(0, move.exit, move.output);
            assertTrue(move.output.contains("goproxy: released version (goproxy.protectReleasedTags = reject)"),
                    move.output);
            assertTrue(lsRemote("lib.git").contains(right + "\trefs/tags/v1.0.0"), "the refused move left the tag");
            Push delete = push(local, "lib.git", ":refs/tags/v1.0.0");
            assertNotEquals(0, delete.exit, delete.output);
            assertTrue(delete.output.contains("goproxy: released version (goproxy.protectReleasedTags = reject)"),
                    delete.output);
            assertTrue(lsRemote("lib.git").contains("refs/tags/v1.0.0"));
        } finally {
            editSetting("goproxy.protectReleasedTags", "warn");
        }

        // A downloaded version is in the forge's checksum database (goproxy.moduleHost names it), whose log never
        // changes: forgetting it is refused, and says why.
        String refused = GitblitSsh.admin(gitblit).ok("goproxy", "forget", module + "@v1.0.0");
        assertTrue(refused.contains("is in the checksum database " + NS), refused);
        assertEquals(sum, download(proxyClient(), module, "v1.0.0"));

        // The admin's way to remove a version on purpose, for one not in the log yet (pinned by a lookup of its
        // .info only): the next download resolves the tag as it is now.
        git(local, "tag", "v1.2.0", wrong);
        assertEquals(0, push(local, "lib.git", "refs/tags/v1.2.0:refs/tags/v1.2.0").exit);
        assertTrue(gitblit.get(gitblit.httpUrl(), "go/" + module + "/@v/v1.2.0.info").body().contains("\"Version\":\"v1.2.0\""));
        git(local, "tag", "-f", "v1.2.0", right);
        assertEquals(0, push(local, "lib.git", "+refs/tags/v1.2.0:refs/tags/v1.2.0").exit);
        String said = GitblitSsh.admin(gitblit).ok("goproxy", "forget", module + "@v1.2.0");
        assertEquals("goproxy: " + module + "@v1.2.0 forgotten: its next download resolves the tag anew\n", said);
        // Like the admin page's acts, it leaves a line in the audit log: who, when, what.
        assertTrue(Files.readAllLines(gitblit.baseFolder().resolve("goproxy").resolve("audit.log")).stream()
                .anyMatch(l -> l.contains("\tadmin (ssh)\tforget\t" + module + "@v1.2.0\tforgotten (it was pinned to")),
                "no audit line for the SSH forget");
        assertEquals(download(directClient("lib.git"), module, "v1.2.0"), download(proxyClient(), module, "v1.2.0"));
    }

    @Test
    void thePrebuildQueueIsBoundedAndThePushSaysWhatIsLeftForTheFirstDownload() throws IOException {
        gitblit.createRepository("many.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        Path local = work.resolve("many");
        git(local, "init", "-q", "-b", "master");
        commit(local, "go.mod", "module " + NS + "/many\n", "m.go", "package many\n");
        int tags = 12;
        for (int i = 0; i < tags; i++) {
            git(local, "tag", "v1.0." + i);
        }
        Push push = push(local, "many.git", "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        assertEquals(0, push.exit, push.output);
        Matcher m = Pattern.compile("remote: goproxy: (\\d+) version\\(s\\) beyond the pre-build queue will be built at"
                + " their first download").matcher(push.output);
        assertTrue(m.find(), push.output);
        int left = Integer.parseInt(m.group(1));
        // The queue holds QUEUE versions and the one builder may have taken one or two meanwhile.
        assertTrue(left >= tags - QUEUE - 2 && left <= tags - QUEUE, left + " left of " + tags + ":\n" + push.output);
        // Those left over are simply built at their first download.
        String sum = download(proxyClient(), NS + "/many", "v1.0." + (tags - 1));
        assertEquals(download(directClient("many.git"), NS + "/many", "v1.0." + (tags - 1)), sum);
    }

    // ------------------------------------------------------------------ helpers

    private record Push(int exit, String output) {
    }

    private static Push push(Path local, String repository, String... refspecs) {
        URI base = gitblit.httpsUrl();
        String url = "https://" + GitblitInstance.ADMIN + ":" + GitblitInstance.ADMIN_PASSWORD + "@"
                + base.getAuthority() + "/r/" + repository;
        String[] args = new String[refspecs.length + 2];
        args[0] = "push";
        args[1] = url;
        System.arraycopy(refspecs, 0, args, 2, refspecs.length);
        try {
            return new Push(0, gitblit.git().run(local, args));
        } catch (IllegalStateException e) {
            return new Push(1, e.getMessage());
        }
    }

    private static void assertLine(Push push, String line) {
        assertTrue(push.output.lines().anyMatch(l -> l.strip().equals(line)), "no line \"" + line + "\" in:\n"
                + push.output);
    }

    /** The reason the push output gives for a tag that will not be served. */
    private static String reason(Push push, String tag) {
        String prefix = "remote: goproxy: tag " + tag + " will not be served: ";
        return push.output.lines().map(String::strip).filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length()))
                .orElseThrow(() -> new AssertionError("no verdict for " + tag + " in:\n" + push.output));
    }

    private static String git(Path dir, String... args) {
        return gitblit.git().run(dir, args);
    }

    private static String commit(Path local, String... pathsAndContents) throws IOException {
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = local.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pathsAndContents[i + 1]);
        }
        git(local, "add", "-A");
        git(local, "commit", "-q", "-m", "change");
        return git(local, "rev-parse", "HEAD").trim();
    }

    private static String lsRemote(String repository) {
        return gitblit.git().run(work, "ls-remote", gitblit.cloneUrl(repository));
    }

    private static GoCommand proxyClient() {
        return GoCommand.in(work.resolve("go-proxy-" + CLIENTS.incrementAndGet()))
                .with("GOPROXY", gitblit.httpsUrl() + "/go")
                .with("GONOSUMDB", NS)
                .with("SSL_CERT_FILE", gitblit.caPem().toString());
    }

    /** The go command in direct mode, reading the repository straight from Gitblit's folder with git. */
    private static GoCommand directClient(String repository) throws IOException {
        Path home = work.resolve("go-direct-" + CLIENTS.incrementAndGet());
        Files.createDirectories(home);
        String name = repository.substring(0, repository.length() - ".git".length());
        return GoCommand.in(home).with("GOPROXY", "direct").with("GONOSUMDB", NS)
                .writeGitConfig("[protocol \"file\"]\n\tallow = always\n[url \""
                        + gitblit.repositoriesFolder().resolve(repository).toUri().toString().replaceFirst("/$", "")
                        + "\"]\n\tinsteadOf = https://" + NS + "/" + name + "\n");
    }

    /** {@code go mod download -json module@version}: the h1 of the zip the client got. */
    private static String download(GoCommand go, String module, String version) {
        GoCommand.Result r = go.ok(go.newModule("m"), "mod", "download", "-json", module + "@" + version);
        JsonObject json = new JsonParser().parse(r.stdout()).getAsJsonObject();
        return json.get("Sum").getAsString();
    }

    private static void editSetting(String key, String value) {
        gitblit.rpc("EDIT_SETTINGS", null, "{\"" + key + "\": \"" + value + "\"}");
    }

    private static String log() throws IOException {
        return Files.readString(gitblit.logFile(), StandardCharsets.UTF_8);
    }

    private static void awaitLog(String text) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the Gitblit log never said \"" + text + "\":\n" + gitblit.logTail());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
