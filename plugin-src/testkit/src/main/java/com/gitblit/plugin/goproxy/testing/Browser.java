package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (never a downloaded one), for browser tests
 * of the Go pages. As root Chromium needs {@code --no-sandbox}. Screenshots go to
 * {@code target/screenshots/<gitblit version>/}.
 */
public final class Browser implements AutoCloseable {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start() {
        if (!Files.isExecutable(Paths.get(CHROMIUM)) || !Files.isExecutable(Paths.get(CHROMEDRIVER))) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver"
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1600", "--no-proxy-server", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Paths.get(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new Browser(driver);
    }

    public WebDriver driver() {
        return driver;
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public java.util.List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (up to 20 s: a loaded CI machine) until the element's text contains {@code text}. */
    public Browser awaitText(String css, String text) {
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(text);
        });
        return this;
    }

    /**
     * Clicks something that loads another page (a link, a form's submit button) and returns once that page has
     * loaded. A plain click returns when the browser has dispatched it: reading the page at once may still see the
     * old one or the blank one in between (a search then "finds nothing").
     */
    public Browser clickThrough(WebElement element) {
        return loadingNextPage(element::click);
    }

    private Browser loadingNextPage(Runnable action) {
        driver.executeScript("window.goproxyPreviousPage = true;");
        action.run();
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(driver.executeScript(
                        "return window.goproxyPreviousPage === undefined && document.readyState === 'complete';")));
        return this;
    }

    /** Signs in through Gitblit's own login form in its header (any Gitblit page). */
    public Browser signIn(String baseUrl, String user, String password) {
        driver.manage().deleteAllCookies();
        open(baseUrl + "/");
        find("form input[name=username]").sendKeys(user);
        find("form input[name=password]").sendKeys(password);
        WebElement field = find("form input[name=password]");
        loadingNextPage(field::submit);
        if (driver.findElements(By.cssSelector("form input[name=password]")).size() > 0) {
            throw new IllegalStateException("Gitblit did not sign in " + user + ":\n" + driver.getPageSource());
        }
        return this;
    }

    public Browser signOut() {
        driver.manage().deleteAllCookies();
        return this;
    }

    /** Saves a screenshot as {@code target/screenshots/<gitblit version>/<name>.png}. */
    public Path screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Paths.get("target", "screenshots", GitblitInstance.hostVersion()));
        Path target = dir.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
