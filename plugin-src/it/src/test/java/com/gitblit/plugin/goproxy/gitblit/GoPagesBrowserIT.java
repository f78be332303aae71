package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.RequiresGo;
import com.gitblit.plugin.goproxy.testing.LocalRepo;
import com.gitblit.plugin.goproxy.testing.GoCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.gitblit.plugin.goproxy.testing.Browser;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;

/**
 * The Go pages in a real Gitblit, seen through a real Chromium: the Go tab inside Gitblit's frame (its header,
 * navigation and stylesheet), modules with a copyable {@code go get} that the real go command accepts, versions
 * linking to Gitblit's commit view, the tags the proxy leaves out for pushers only, a version page whose go.mod
 * links lead to another module's tab, the instance list and its search, private repositories invisible to
 * those who may not clone them, and the owner's switch turning the proxy on and off. Text from repositories
 * (tag names, go.mod comments) carrying HTML is shown, never run.
 */
@RequiresGo
@Tag(GitblitInstance.EVERY_VERSION)
class GoPagesBrowserIT {
    private static final String NS = "127.0.0.1";
    private static final String LIB = NS + "/team/lib";
    private static final String OTHER = NS + "/team/other";
    private static final String SECRET = NS + "/team/secret";
    private static final String HOSTILE_TAG = "x\"><img/src=q/onerror=document.title='pwned'>/v1.0.0";

    private static GitblitInstance gitblit;
    private static Browser browser;
    private static Path work;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("go-pages-browser-it").goProxyPlugin().withoutHttps()
                .user("alice", "alice-secret").user("bob", "bob-secret").user("carol", "carol-secret").start();
        base = gitblit.httpUrl().toString();
        work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("team/lib.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("team/other.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("team/secret.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.createRepository("team/off.git", Restriction.PUSH, Authorization.NAMED, Map.of("goProxy", "false"));
        gitblit.setUserPermission("team/lib.git", "alice", Permission.PUSH);
        gitblit.setUserPermission("team/secret.git", "carol", Permission.CLONE);

        LocalRepo lib = LocalRepo.module(work.resolve("src/lib"), LIB, "v1.0.0");
        lib.write("go.mod", "module " + LIB + "\n\ngo 1.19\n\n// <script>document.title='pwned'</script>\nrequire (\n\t"
                        + OTHER + " v1.0.0\n\tgithub.com/x/y v1.0.0\n)\n\nreplace example.com/old => ../old\n")
                .write("internal/util/util.go", "package util\n").write("testdata/t.go", "package t\n")
                .commit("links").tag("v1.2.0-rc.1").tag("v1.2").tag(HOSTILE_TAG);
        lib.write("go.mod", "module " + LIB + "\n\ngo 1.19\n")
                .write("sub/go.mod", "module " + LIB + "/sub\n\ngo 1.19\n").write("sub/sub.go", "package sub\n")
                .commit("v1.1.0 and sub").tag("v1.1.0").tag("sub/v0.1.0");
        lib.write("go.mod", "module example.com/elsewhere\n").commit("foreign").tag("v1.3.0");
        lib.pushTo(gitblit.repositoriesFolder().resolve("team/lib.git"));
        LocalRepo.module(work.resolve("src/other"), OTHER, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("team/other.git"));
        LocalRepo.module(work.resolve("src/secret"), SECRET, "v0.1.0")
                .pushTo(gitblit.repositoriesFolder().resolve("team/secret.git"));
        LocalRepo.module(work.resolve("src/off"), NS + "/team/off", "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("team/off.git"));
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

    /** Opens a repository's summary in Gitblit and clicks its "Go" tab, as a user would. */
    private static void openGoTab(String repository) {
        browser.open(base + "/summary/?r=" + repository);
        browser.clickThrough(browser.driver().findElement(By.linkText("Go")));
    }

    private static List<String> texts(String css) {
        return browser.all(css).stream().map(WebElement::getText).collect(Collectors.toList());
    }

    private static List<String> attrs(String css, String attribute) {
        return browser.all(css).stream().map(e -> e.getAttribute(attribute)).collect(Collectors.toList());
    }

    private static void assertGitblitFrame() {
        assertFalse(browser.all(".navbar").isEmpty(), "Gitblit's header is missing");
        assertEquals("fixed", browser.find(".navbar-fixed-top").getCssValue("position"),
                "Gitblit's stylesheet is not applied");
        assertFalse("pwned".equals(browser.driver().getTitle()), "HTML from a repository ran");
    }

    @Test
    void aReaderSeesTheGoTabWithModulesCopyableGoGetAndVersionsLinkedToGitblit() throws Exception {
        browser.signOut();
        openGoTab("team/lib.git");
        assertGitblitFrame();
        assertEquals(List.of(LIB, LIB + "/sub"), attrs(".go-module", "data-module"));
        assertEquals("go get " + LIB + "@v1.1.0", browser.find(".go-module .go-get").getAttribute("value"));
        assertFalse(browser.all(".go-module .go-copy").isEmpty(), "no copy button");
        assertEquals(List.of("v1.2.0-rc.1", "v1.1.0", "v1.0.0"),
                attrs("[data-module='" + LIB + "'] .go-version", "data-version"));
        assertFalse(browser.all("[data-version='v1.2.0-rc.1'] .go-prerelease").isEmpty(), "no prerelease mark");
        assertTrue(browser.all(".go-omitted").isEmpty(), "a reader who may not push sees no omitted tags");
        assertTrue(browser.all(".go-switch").isEmpty(), "a reader has no switch");
        assertFalse(browser.driver().getPageSource().contains("v1.3.0"), "an unserved tag leaked to a reader");
        browser.screenshot("go-tab-reader");

        String commitHref = browser.find(".go-version .go-commit").getAttribute("href");
        assertTrue(commitHref.contains("/commit"), commitHref);
        // Gitblit 1.9.3's commit page fails for repositories created over RPC (its commitMessageRenderer is
        // null), so the tree view is the one followed here.
        browser.clickThrough(browser.find(".go-version .go-tree"));
        assertTrue(browser.driver().getCurrentUrl().contains("/tree"), browser.driver().getCurrentUrl());
        assertGitblitFrame();
        assertFalse(browser.all("a[href*='go.mod']").isEmpty(), "the tree view lists the version's files");
    }

    @Test
    void aPusherSeesTheTagsNotServedInTheProxysWords() throws Exception {
        browser.signIn(base, "alice", "alice-secret");
        openGoTab("team/lib.git");
        Map<String, String> why = browser.all(".go-omitted-tag").stream().collect(Collectors.toMap(
                e -> e.getAttribute("data-tag"), e -> e.findElement(By.cssSelector(".go-reason")).getText()));
        assertTrue(why.get("v1.2").contains("non-canonical"), why.toString());
        assertTrue(why.get("v1.3.0").contains("example.com/elsewhere"), why.toString());
        assertTrue(why.containsKey(HOSTILE_TAG), "the hostile tag is shown as text: " + why.keySet());
        assertTrue(why.get(HOSTILE_TAG).startsWith("malformed module path"), why.toString());
        assertEquals(List.of(LIB, LIB + "/sub"), attrs(".go-module", "data-module"),
                "a tag under a directory no module can live in is an unserved tag, never a module");
        assertFalse("pwned".equals(browser.driver().getTitle()), "HTML in a tag name ran");
        browser.screenshot("go-tab-pusher");

        browser.signIn(base, "carol", "carol-secret");
        openGoTab("team/lib.git");
        assertTrue(browser.all(".go-omitted").isEmpty(), "carol may not push and must not see omitted tags");
    }

    @Test
    void theVersionPageLinksGoModPathsByNamespaceAndLeadsToAnotherModulesTab() throws Exception {
        browser.signOut();
        openGoTab("team/lib.git");
        browser.clickThrough(browser.find("[data-version='v1.2.0-rc.1'] a"));
        assertGitblitFrame();
        assertTrue(browser.find(".go-mod").getText().contains("// <script>document.title='pwned'</script>"),
                "a go.mod comment is shown as text");
        assertFalse("pwned".equals(browser.driver().getTitle()), "a go.mod comment ran");
        WebElement external = browser.driver().findElement(By.linkText("github.com/x/y"));
        assertEquals("https://pkg.go.dev/github.com/x/y", external.getAttribute("href"));
        assertTrue(browser.all(".go-mod a").stream().noneMatch(a -> a.getText().equals("../old")),
                "a directory replacement is no link");
        assertEquals(List.of(LIB, LIB + "/internal/util"), texts(".go-packages a"));
        browser.screenshot("go-version");

        browser.clickThrough(browser.driver().findElement(By.linkText(OTHER)));
        assertGitblitFrame();
        assertEquals(List.of(OTHER), attrs(".go-module", "data-module"));
        assertTrue(browser.driver().getCurrentUrl().contains("other"), browser.driver().getCurrentUrl());
    }

    @Test
    void theInstanceListSearchesAndNeverShowsWhatTheViewerMayNotDownload() throws Exception {
        browser.signIn(base, "bob", "bob-secret");
        browser.clickThrough(browser.driver().findElement(By.linkText("Go modules")));
        assertGitblitFrame();
        List<String> listed = attrs(".go-module-row", "data-module");
        assertTrue(listed.containsAll(List.of(LIB, LIB + "/sub", OTHER)), listed.toString());
        assertFalse(browser.driver().getPageSource().contains("secret"), "bob sees the private repository");
        assertFalse(listed.contains(NS + "/team/off"), "a repository with Go off is listed");
        browser.screenshot("go-modules");

        browser.find("#go-q").sendKeys("sub");
        browser.clickThrough(browser.find("#go-search"));
        assertEquals(List.of(LIB + "/sub"), attrs(".go-module-row", "data-module"), browser.driver().getCurrentUrl());
        browser.find("#go-q").clear();
        browser.find("#go-q").sendKeys("secret");
        browser.clickThrough(browser.find("#go-search"));
        assertTrue(browser.all(".go-module-row").isEmpty());

        // The tab of a repository bob may not see is the page of one that does not exist.
        openGoTab("team/lib.git");
        String libTab = browser.driver().getCurrentUrl();
        browser.open(libTab.replace("lib.git", "secret.git"));
        String hidden = browser.driver().getPageSource();
        browser.open(libTab.replace("lib.git", "absent.git"));
        assertEquals(hidden.replace("secret", "absent"), browser.driver().getPageSource());
        assertFalse(hidden.contains("go-module"), hidden);

        browser.open(base + "/gomodules");
        browser.clickThrough(browser.driver().findElement(By.linkText("How to use this server with go")));
        assertGitblitFrame();
        assertEquals("export GOPROXY=" + base + "/go,https://proxy.golang.org,direct",
                browser.find(".go-setup-goproxy").getText());
        assertEquals("export GONOSUMDB=" + NS, browser.find(".go-setup-gonosumdb").getText());
        assertEquals("machine " + NS + " login bob password YOUR-PASSWORD", browser.find(".go-setup-netrc").getText());
        assertTrue(browser.find(".go-setup-tokens-link").getAttribute("href").contains("gotokens"),
                "the setup page leads a signed-in user to the token page");
        browser.screenshot("go-setup");

        browser.signIn(base, "carol", "carol-secret");
        browser.open(base + "/gomodules");
        assertTrue(attrs(".go-module-row", "data-module").contains(SECRET), "carol may clone the private repository");
    }

    @Test
    void theOwnersSwitchTogglesTheCustomFieldAndTheProxyFollows() throws Exception {
        browser.signIn(base, GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD);
        openGoTab("team/off.git");
        assertGitblitFrame();
        assertTrue(browser.find(".go-switch-state").getText().contains("off for this repository"),
                browser.find(".go-switch-state").getText());
        assertEquals(404, adminList("team/off").statusCode());
        browser.screenshot("go-tab-switch-off");

        browser.clickThrough(browser.find("input[name=switchOn]"));
        browser.awaitText(".go-switch-state", "on for this repository");
        assertEquals("true", customField("team/off.git"));
        HttpResponse<String> on = adminList("team/off");
        assertEquals(200, on.statusCode(), on.body());
        assertEquals("v1.0.0", on.body().trim());
        assertEquals(List.of(NS + "/team/off"), attrs(".go-module", "data-module"));

        browser.clickThrough(browser.find("input[name=switchOff]"));
        browser.awaitText(".go-switch-state", "off for this repository");
        assertEquals("false", customField("team/off.git"));
        assertEquals(404, adminList("team/off").statusCode());
    }

    @Test
    void theCopiedGoGetLineWorksWithTheRealGoCommand() throws Exception {
        browser.signOut();
        openGoTab("team/lib.git");
        String line = browser.find("[data-module='" + LIB + "'] .go-get").getAttribute("value");
        GoCommand go = GoCommand.in(work.resolve("go-copied")).with("GOPROXY", base + "/go").with("GONOSUMDB", NS);
        Path app = go.newModule("app");
        List<String> args = List.of(line.split(" "));
        assertEquals("go", args.get(0));
        go.ok(app, args.subList(1, args.size()).toArray(new String[0]));
        assertTrue(Files.readString(app.resolve("go.mod")).contains(LIB + " v1.1.0"));
    }

    @Test
    void badOrHiddenInputIsTheSameNotFoundAnswerAndNeverEchoed() {
        HttpResponse<String> absent = gitblit.get(gitblit.httpUrl(), "/gotab/?r=team/absent.git");
        assertEquals(404, absent.statusCode());
        HttpResponse<String> hidden = gitblit.get(gitblit.httpUrl(), "/gotab/?r=team/secret.git");
        assertEquals(404, hidden.statusCode());
        assertEquals(absent.body().replace("absent", "secret"), hidden.body());
        HttpResponse<String> bobHidden = gitblit.get(gitblit.httpUrl(), "/gotab/?r=team/secret.git", "bob", "bob-secret");
        assertEquals(404, bobHidden.statusCode());
        for (String path : List.of(
                "/goversion/?r=team/lib.git&m=" + LIB + "&v=v9.9.9",
                "/goversion/?r=team/lib.git&m=" + LIB + "&v=v1.3.0",
                "/goversion/?r=team/lib.git&m=%3Cscript%3Ealert(1)%3C/script%3E&v=%3Cb%3E",
                "/goversion/?r=team/secret.git&m=" + SECRET + "&v=v0.1.0",
                "/gomodule/?m=" + SECRET,
                "/gomodule/?m=" + NS + "/team/absent",
                "/gomodule/?m=" + "x".repeat(3000))) {
            HttpResponse<String> rsp = gitblit.get(gitblit.httpUrl(), path);
            assertEquals(404, rsp.statusCode(), path);
            assertFalse(rsp.body().contains("<script>alert"), path + " echoed: " + rsp.body());
            assertFalse(rsp.body().contains("secret"), path + " names the private repository: " + rsp.body());
        }
        // Wicket renders the tab in place of the link page (no redirect): the repository's Go tab, its modules.
        HttpResponse<String> toTab = gitblit.get(gitblit.httpUrl(), "/gomodule/?m=" + LIB + "/sub");
        assertEquals(200, toTab.statusCode());
        assertTrue(toTab.body().contains("data-module=\"" + LIB + "/sub\""), toTab.body());
        HttpResponse<String> longSearch = gitblit.get(gitblit.httpUrl(), "/gomodules/?p=x&q=" + "%3Cscript%3E".repeat(400));
        assertEquals(200, longSearch.statusCode());
        // Gitblit's own XSS filter may already clean page parameters; either way nothing comes back as markup.
        assertFalse(longSearch.body().contains("<script><script>"), "the search string is echoed unescaped");
    }

    private static HttpResponse<String> adminList(String path) {
        return gitblit.get(gitblit.httpUrl(), "/go/" + NS + "/" + path + "/@v/list", GitblitInstance.ADMIN,
                GitblitInstance.ADMIN_PASSWORD);
    }

    private static String customField(String repository) {
        for (Map.Entry<String, com.google.gson.JsonElement> e : gitblit.listRepositories().entrySet()) {
            com.google.gson.JsonObject model = e.getValue().getAsJsonObject();
            if (repository.equals(model.get("name").getAsString())) {
                com.google.gson.JsonObject fields = model.getAsJsonObject("customFields");
                assertNotNull(fields, "no custom fields on " + repository);
                return fields.get("goProxy").getAsString();
            }
        }
        throw new AssertionError("no repository " + repository);
    }
}
