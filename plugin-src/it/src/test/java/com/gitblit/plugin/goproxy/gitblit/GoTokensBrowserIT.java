package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.plugin.goproxy.testing.LocalRepo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gitblit.plugin.goproxy.testing.Browser;
import com.gitblit.plugin.goproxy.testing.GitblitInstance;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Authorization;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Permission;
import com.gitblit.plugin.goproxy.testing.GitblitInstance.Restriction;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The token page in real Chromium on a real Gitblit: alice finds it in her user menu, creates a token (shown once,
 * with its .netrc line), sees it listed, and revokes it; the proxy accepts the token before and refuses it after.
 * An administrator sees alice's token; bob does not.
 */
@Tag(GitblitInstance.EVERY_VERSION)
class GoTokensBrowserIT {
    private static final String MODULE = "127.0.0.1/btok/private";

    private static GitblitInstance gitblit;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        gitblit = GitblitInstance.builder("tokens-browser-it").goProxyPlugin()
                .user("alice", "alice-secret").user("bob", "bob-secret").start();
        Path work = Files.createDirectories(gitblit.home().resolve("work"));
        gitblit.createRepository("btok/private.git", Restriction.VIEW, Authorization.NAMED, Map.of("goProxy", "true"));
        gitblit.setUserPermission("btok/private.git", "alice", Permission.CLONE);
        LocalRepo.module(work.resolve("src/private"), MODULE, "v1.0.0")
                .pushTo(gitblit.repositoriesFolder().resolve("btok/private.git"));
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

    private static int list(String user, String token) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        return gitblit.send(HttpRequest.newBuilder(gitblit.httpsUrl().resolve("/go/" + MODULE + "/@v/list"))
                .header("Authorization", "Basic " + basic).build()).statusCode();
    }

    @Test
    void createListAndRevokeInTheBrowser() throws Exception {
        String base = gitblit.httpUrl().toString();
        browser.signIn(base, "alice", "alice-secret");
        List<WebElement> menu = browser.all("a[href*='gotokens']");
        assertFalse(menu.isEmpty(), "no Go access tokens entry in the user menu:\n" + browser.driver().getPageSource());
        browser.open(base + GoTokensPage.MOUNT);
        assertTrue(browser.all("tr.tokenRow").isEmpty());
        browser.find("#tokenName").sendKeys("laptop");
        browser.find("#createToken").click();
        browser.awaitText("#netrcLine", "machine 127.0.0.1 login alice password gbgo_");
        String token = browser.find("#tokenText").getText().trim();
        assertTrue(token.matches("gbgo_[0-9a-f]{12}_[0-9a-f]{48}"), token);
        assertEquals("machine 127.0.0.1 login alice password " + token, browser.find("#netrcLine").getText().trim());
        browser.screenshot("tokens-created");
        assertEquals(200, list("alice", token));

        browser.open(base + GoTokensPage.MOUNT);
        assertTrue(browser.all("#tokenText").isEmpty(), "shown only once");
        List<WebElement> rows = browser.all("tr.tokenRow");
        assertEquals(1, rows.size());
        assertEquals("laptop", rows.get(0).findElement(org.openqa.selenium.By.cssSelector(".tokenName")).getText());
        assertEquals(token.substring(5, 17), rows.get(0).findElement(org.openqa.selenium.By.cssSelector(".tokenId")).getText());
        assertFalse(rows.get(0).findElement(org.openqa.selenium.By.cssSelector(".tokenLastUsed")).getText().equals("never"),
                "the use above is shown");
        assertEquals("never", rows.get(0).findElement(org.openqa.selenium.By.cssSelector(".tokenExpires")).getText());

        browser.signIn(base, "bob", "bob-secret").open(base + GoTokensPage.MOUNT);
        assertTrue(browser.all("tr.tokenRow").isEmpty(), "bob sees no one else's tokens");
        browser.signIn(base, GitblitInstance.ADMIN, GitblitInstance.ADMIN_PASSWORD).open(base + GoTokensPage.MOUNT);
        assertEquals("alice", browser.find("tr.tokenRow .tokenOwner").getText());
        browser.screenshot("tokens-admin");

        browser.signIn(base, "alice", "alice-secret").open(base + GoTokensPage.MOUNT);
        browser.find("tr.tokenRow .tokenRevoke").click();
        browser.awaitText("#tokenMessage", "Revoked the token \"laptop\"");
        assertTrue(browser.all("tr.tokenRow").isEmpty());
        browser.screenshot("tokens-revoked");
        assertEquals(401, list("alice", token));
    }
}
