package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainHardeningFlagsTest {
    @TempDir
    Path repos;

    @Test
    void defaultsAndFlags() throws Exception {
        StandaloneServer.Config d = Main.parse(new String[] {"--repos", repos.toString()});
        assertFalse(d.allowHttpCredentials);
        assertEquals(150, d.maxDownloads);
        assertEquals(32, d.maxDownloadsPerClient);
        assertEquals(15_000, d.writeTimeoutMillis);
        assertEquals(10_000, d.headerTimeoutMillis);
        assertEquals(200, d.maxThreads);
        assertFalse(d.trustedProxies.isTrustedProxy("127.0.0.1"));

        StandaloneServer.Config c = Main.parse(new String[] {"--repos", repos.toString(), "--allow-http-credentials",
            "--trusted-proxies", "127.0.0.1,10.0.0.0/8", "--max-password-checks", "3", "--max-downloads", "40",
            "--max-downloads-per-client=4", "--write-timeout", "0", "--header-timeout", "5", "--max-threads", "64"});
        assertTrue(c.allowHttpCredentials);
        assertTrue(c.trustedProxies.isTrustedProxy("10.2.3.4"));
        assertEquals(3, c.passwordChecks.maxConcurrentChecks());
        assertEquals(40, c.maxDownloads);
        assertEquals(4, c.maxDownloadsPerClient);
        assertEquals(0, c.writeTimeoutMillis);
        assertEquals(5_000, c.headerTimeoutMillis);
        assertEquals(64, c.maxThreads);
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsAUsageError() {
        Main.UsageException e = assertThrows(Main.UsageException.class,
                () -> Main.parse(new String[] {"--repos", repos.toString(), "--trusted-proxies", "proxy.example.com"}));
        assertEquals("--trusted-proxies: not an IP address or CIDR range: proxy.example.com", e.getMessage());
    }
}
