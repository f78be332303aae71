package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.gitblit.plugin.goproxy.testing.Browser;
import com.gitblit.plugin.goproxy.testing.GitCli;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The Go admin pages in a real Gitblit through a real Chromium, each act checked with the real go command before
 * and after: an administrator sees what a {@code go mod download} pinned (commit, h1 of go.mod and zip, how),
 * purges a module's cache and the next download gets the same bytes, forgets a version whose tag was moved and
 * the next download pins the new commit, builds a version now; every act is confirmed first and leaves an audit
 * line. Anyone else gets what any missing page gives them.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GoAdminBrowserIT {
    private static final String NS = "127.0.0.1";
    private static final String LIB = NS + "/team/lib";
    private static final String MOVED = NS + "/team/moved";
    private static final String VERIFIED = NS + "/team/verified";
    private static final String PLANTED = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private static GitblitInstance gitblit;
    private static Browser browser;
    private static Path work;
    private static String base;
    private static int downloads;

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("go-admin-browser-it").goProxyPlugin().withoutHttps()
                .user("bob", "bob-secret").start();
        base = gitblit.httpUrl().toString();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("team/lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("team/moved.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0")
                .write("extra.go", "package lib\n\nconst Extra = 1\n").commit("v1.1.0").tag("v1.1.0")
                .pushTo(bare("team/lib.git"));
        LocalRepo.module(work.resolve("src/moved"), MOVED, "v1.0.0").pushTo(bare("team/moved.git"));
        gitblit.createRepository("team/verified.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        LocalRepo.module(work.resolve("src/verified"), VERIFIED, "v1.0.0").pushTo(bare("team/verified.git"));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (gitblit != null) {
            gitblit.close();
        }
    }

    private static Path bare(String repository) {
        return gitblit.repositoriesFolder().resolve(repository);
    }

    /** A real {@code go mod download} into a fresh module cache: the go.sum hashes and the zip's bytes. */
    private record Download(String sum, String goModSum, byte[] zip) {
    }

    private static Download download(String module, String version) throws Exception {
        GoCommand go = GoCommand.in(work.resolve("go-" + downloads++)).with("GOPROXY", base + "/go")
                .with("GONOSUMDB", NS);
        Path app = go.newModule("app");
        String json = go.ok(app, "mod", "download", "-json", module + "@" + version).stdout();
        Path zip = go.downloadCache().resolve(module).resolve("@v").resolve(version + ".zip");
        return new Download(field(json, "Sum"), field(json, "GoModSum"), Files.readAllBytes(zip));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " missing in " + json);
        return m.group(1);
    }

    private static String commitOf(String repository, String tag) {
        return GitCli.isolated().run(bare(repository), "rev-parse", tag + "^{commit}").trim();
    }

    private static void assertGitblitFrame() {
        assertFalse(browser.all(".navbar").isEmpty(), "Gitblit's header is missing");
        assertEquals("fixed", browser.find(".navbar-fixed-top").getCssValue("position"),
                "Gitblit's stylesheet is not applied");
    }

    private static WebElement versionRow(String version) {
        return browser.find(".go-admin-version[data-version='" + version + "']");
    }

    private static String cell(WebElement row, String css) {
        return row.findElement(By.cssSelector(css)).getText().trim();
    }

    /** From the top navigation to a module's admin page, as an administrator would go. */
    private static void openModule(String repository, String module) {
        browser.open(base);
        browser.clickThrough(browser.driver().findElement(By.linkText("Go admin")));
        assertGitblitFrame();
        browser.clickThrough(
                browser.find(".go-admin-module[data-repository='" + repository + "'][data-module='" + module + "'] a"));
        assertGitblitFrame();
        assertEquals(module, browser.find(".go-admin-module-path").getText());
    }

    private static List<String> auditLines() throws Exception {
        return Files.readAllLines(gitblit.baseFolder().resolve("goproxy").resolve("audit.log"));
    }

    @Test
    void anAdministratorSeesWhatADownloadPinnedAndPurgesTheModuleWhichComesBackWithTheSameBytes() throws Exception {
        Download first = download(LIB, "v1.0.0");
        browser.signIn(base, GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        browser.open(base);
        browser.clickThrough(browser.driver().findElement(By.linkText("Go admin")));
        assertGitblitFrame();
        assertTrue(browser.find(".go-admin-cache").getText().contains(" of "), browser.find(".go-admin-cache").getText());
        assertTrue(browser.find(".go-admin-hits").getText().contains("misses since start"));
        assertFalse(browser.all(".go-admin-module[data-module='" + LIB + "']").isEmpty(), "the module is not listed");
        browser.screenshot("go-admin");

        openModule("team/lib.git", LIB);
        WebElement row = versionRow("v1.0.0");
        assertEquals(commitOf("team/lib.git", "v1.0.0"), cell(row, ".go-admin-commit"));
        assertEquals(first.sum(), cell(row, ".go-admin-zip-h1"), "the zip h1 shown is the one go put in go.sum");
        assertEquals(first.goModSum(), cell(row, ".go-admin-mod-h1"));
        assertEquals("request", cell(row, ".go-admin-origin"));
        List<String> kinds = row.findElements(By.cssSelector(".go-admin-artifact")).stream()
                .map(e -> e.getAttribute("data-kind")).collect(Collectors.toList());
        assertTrue(kinds.containsAll(List.of("zip", "mod", "info")), kinds.toString());
        browser.screenshot("go-admin-module");

        browser.clickThrough(browser.find("#go-admin-purge"));
        assertGitblitFrame();
        assertTrue(browser.find(".go-admin-confirm-title").getText().startsWith("Purge the cached artifacts of " + LIB));
        assertTrue(browser.find(".go-admin-explanation").getText().contains("same bytes"));
        browser.screenshot("go-admin-confirm-purge");
        browser.clickThrough(browser.find("#go-admin-confirm-button"));
        browser.awaitText(".go-admin-outcome", "artifact(s) removed");
        assertTrue(versionRow("v1.0.0").findElements(By.cssSelector(".go-admin-artifact")).isEmpty(),
                "artifacts left after the purge");
        assertEquals(first.sum(), cell(versionRow("v1.0.0"), ".go-admin-zip-h1"), "a purge unpins nothing");
        assertTrue(auditLines().stream().anyMatch(l -> l.contains("\tadmin\tpurge\t" + LIB + " in team/lib.git\t")),
                auditLines().toString());

        Download again = download(LIB, "v1.0.0");
        assertEquals(first.sum(), again.sum());
        assertEquals(first.goModSum(), again.goModSum());
        assertArrayEquals(first.zip(), again.zip(), "the rebuilt zip has other bytes");
        openModule("team/lib.git", LIB);
        assertFalse(versionRow("v1.0.0").findElements(By.cssSelector(".go-admin-artifact[data-kind='zip']")).isEmpty(),
                "the next download cached the zip again");

        // Build now: a version nobody downloaded yet is pinned as the administrator's, and go gets what was built.
        browser.find("#go-admin-build-version").sendKeys("v1.1.0");
        browser.clickThrough(browser.find("#go-admin-build"));
        assertTrue(browser.find(".go-admin-confirm-title").getText().contains(LIB + "@v1.1.0"));
        browser.clickThrough(browser.find("#go-admin-confirm-button"));
        browser.awaitText(".go-admin-outcome", "built at commit");
        assertEquals("admin", cell(versionRow("v1.1.0"), ".go-admin-origin"));
        String builtSum = cell(versionRow("v1.1.0"), ".go-admin-zip-h1");
        assertEquals(builtSum, download(LIB, "v1.1.0").sum());
        assertTrue(auditLines().stream().anyMatch(l -> l.contains("\tadmin\tbuild\t" + LIB + "@v1.1.0\tbuilt at commit")));
    }

    @Test
    void forgettingAVersionWhoseTagMovedLetsTheNextDownloadPinTheNewCommit() throws Exception {
        String oldCommit = commitOf("team/moved.git", "v1.0.0");
        Download first = download(MOVED, "v1.0.0");
        // The tag is moved straight in the repository folder (as a server-side fix would), past any push check.
        Path src = work.resolve("src/moved");
        GitCli git = GitCli.isolated();
        Files.writeString(src.resolve("fix.go"), "package moved\n\nconst Fixed = true\n");
        git.run(src, "add", "-A");
        git.run(src, "commit", "-q", "-m", "fix");
        git.run(src, "tag", "-f", "v1.0.0");
        git.run(src, "push", "-q", "-f", bare("team/moved.git").toUri().toString(), "refs/tags/v1.0.0:refs/tags/v1.0.0");
        String newCommit = commitOf("team/moved.git", "v1.0.0");
        assertNotEquals(oldCommit, newCommit);
        assertEquals(first.sum(), download(MOVED, "v1.0.0").sum(), "the pin holds while the tag moved");

        browser.signIn(base, GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        openModule("team/moved.git", MOVED);
        assertEquals(oldCommit, cell(versionRow("v1.0.0"), ".go-admin-commit"));
        new Select(browser.find("#go-admin-forget-version")).selectByVisibleText("v1.0.0");
        browser.clickThrough(browser.find("#go-admin-forget"));
        assertGitblitFrame();
        assertEquals("Forget " + MOVED + "@v1.0.0?", browser.find(".go-admin-confirm-title").getText());
        assertTrue(browser.find(".go-admin-explanation").getText().contains("go.sum"),
                "the page says what happens to clients whose go.sum holds the old hash");
        assertTrue(browser.find(".go-admin-state").getText().contains(oldCommit));
        browser.screenshot("go-admin-confirm-forget");
        browser.clickThrough(browser.find("#go-admin-confirm-button"));
        browser.awaitText(".go-admin-outcome", "forgotten");
        assertTrue(browser.all(".go-admin-version[data-version='v1.0.0']").isEmpty(), "still pinned after forget");
        String audit = auditLines().stream().filter(l -> l.contains("\tforget\t" + MOVED + "@v1.0.0\t"))
                .findFirst().orElse("");
        assertTrue(audit.contains("\tadmin\t") && audit.contains(oldCommit), "audit line: " + auditLines());

        Download after = download(MOVED, "v1.0.0");
        assertNotEquals(first.sum(), after.sum(), "the next download still gets the old content");
        openModule("team/moved.git", MOVED);
        assertEquals(newCommit, cell(versionRow("v1.0.0"), ".go-admin-commit"));
        assertEquals(after.sum(), cell(versionRow("v1.0.0"), ".go-admin-zip-h1"));
        assertEquals("request", cell(versionRow("v1.0.0"), ".go-admin-origin"));
    }

    @Test
    void verifyingTheLedgerFindsAPlantedMismatchInTheBackgroundAndShowsIt() throws Exception {
        Download pinned = download(VERIFIED, "v1.0.0");
        // The ledger as a restore of an older backup could leave it: a zip hash git does not give at the commit.
        Path entry = ledgerFile(VERIFIED, "v1.0.0");
        java.util.Properties p = ledgerProperties(entry);
        assertEquals(pinned.sum(), p.getProperty("zip"));
        p.setProperty("zip", PLANTED);
        java.io.StringWriter planted = new java.io.StringWriter();
        p.store(planted, null);
        Files.writeString(entry, planted.toString());

        browser.signIn(base, GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        browser.open(base);
        browser.clickThrough(browser.driver().findElement(By.linkText("Go admin")));
        browser.clickThrough(browser.find("#go-admin-verify"));
        assertGitblitFrame();
        assertEquals("Verify the ledger?", browser.find(".go-admin-confirm-title").getText());
        assertTrue(browser.find(".go-admin-explanation").getText().contains("Nothing is changed"));
        browser.screenshot("go-admin-confirm-verify");
        browser.clickThrough(browser.find("#go-admin-confirm-button"));
        assertGitblitFrame();
        browser.awaitText(".go-admin-outcome", "Verification started");

        com.gitblit.plugin.goproxy.testing.Eventually.within(java.time.Duration.ofSeconds(60))
                .until("the verification's result on the admin page", () -> {
                    browser.open(base + "/goadmin/");
                    return !browser.all(".go-admin-verify-when").isEmpty();
                });
        List<WebElement> problems = browser.all(".go-admin-verify-problem");
        assertEquals(1, problems.size(), browser.find(".go-admin-page").getText());
        WebElement problem = problems.get(0);
        assertEquals("MISMATCH", problem.getAttribute("data-outcome"));
        assertEquals(VERIFIED, problem.getAttribute("data-module"));
        assertEquals("v1.0.0", problem.getAttribute("data-version"));
        assertTrue(cell(problem, ".go-admin-verify-detail").contains("zip recorded " + PLANTED + ", git gives "
                + pinned.sum()), cell(problem, ".go-admin-verify-detail"));
        assertEquals("1", browser.find(".go-admin-verify-count[data-outcome='MISMATCH'] td").getText());
        assertTrue(browser.find(".go-admin-verify-when").getText().contains("(started by admin)"));
        browser.screenshot("go-admin-verified");

        assertEquals(PLANTED, ledgerProperties(entry).getProperty("zip"), "verify changed the ledger");
        List<String> audit = auditLines().stream().filter(l -> l.contains("\tadmin\tverify\tthe ledger\t"))
                .collect(Collectors.toList());
        assertTrue(audit.stream().anyMatch(l -> l.endsWith("\tstarted")), audit.toString());
        assertTrue(audit.stream().anyMatch(l -> l.contains(" pinned versions, ") && l.contains(", 1 mismatch")),
                audit.toString());
        assertEquals(pinned.sum(), download(VERIFIED, "v1.0.0").sum(), "the proxy still serves the same bytes");
    }

    private static Path ledgerFile(String module, String version) throws Exception {
        Path ledger = com.gitblit.plugin.goproxy.cache.DataFolderFormat.ledger(gitblit.baseFolder().resolve("goproxy"));
        try (java.util.stream.Stream<Path> files = Files.walk(ledger)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && ledgerProperties(f).containsValue(module)
                        && version.equals(ledgerProperties(f).getProperty("version"))) {
                    return f;
                }
            }
        }
        throw new AssertionError("no ledger file for " + module + "@" + version);
    }

    private static java.util.Properties ledgerProperties(Path file) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(Files.readString(file)));
        return p;
    }

    @Test
    void anyoneButAnAdministratorGetsWhatAnyMissingPageGivesThem() throws Exception {
        for (String[] who : new String[][] {{null, null}, {"bob", "bob-secret"}}) {
            for (String path : List.of("/goadmin/", "/goadminmodule/team!lib.git?m=" + LIB)) {
                HttpResponse<String> page = who[0] == null ? gitblit.get(gitblit.httpUrl(), path)
                        : gitblit.get(gitblit.httpUrl(), path, who[0], who[1]);
                String missingPath = "/nosuchpage" + path.substring(path.indexOf('/', 1));
                HttpResponse<String> missing = who[0] == null ? gitblit.get(gitblit.httpUrl(), missingPath)
                        : gitblit.get(gitblit.httpUrl(), missingPath, who[0], who[1]);
                assertEquals(missing.statusCode(), page.statusCode(), path + " for " + who[0]);
                assertEquals(normalized(missing.body(), missingPath), normalized(page.body(), path),
                        path + " for " + who[0]);
                assertFalse(page.body().contains("Go admin"), page.body());
            }
        }
        browser.signIn(base, "bob", "bob-secret");
        browser.open(base);
        assertTrue(browser.driver().findElements(By.linkText("Go admin")).isEmpty(), "bob sees the admin link");
        browser.open(base + "/goadmin/");
        String hidden = browser.driver().getPageSource();
        browser.open(base + "/nosuchpage/");
        assertEquals(browser.driver().getPageSource().replace("nosuchpage", "goadmin"), hidden);
        browser.screenshot("go-admin-not-found");
    }

    /** A missing page's body names its own path; with that taken out, two answers must be the same. */
    private static String normalized(String body, String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return body.replace(path, "<path>").replace(p, "<path>");
    }
}
