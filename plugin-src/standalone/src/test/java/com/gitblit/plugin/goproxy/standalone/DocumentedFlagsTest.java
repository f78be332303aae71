package com.gitblit.plugin.goproxy.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.testing.TestPki;

/**
 * Every flag in docs/standalone.md's table is a row here that sets it and checks that it reaches the part of the
 * server that acts on it (what the service then does with each settings field is ProxySettingsBehaviourTest's;
 * the hostile-client limits are HostileClientsTest's). A documented flag without a row, or a row for a flag the
 * docs do not list, fails: a dead or secret flag cannot survive.
 */
class DocumentedFlagsTest {
    @TempDir
    Path tmp;

    private interface Row {
        void check(Path tmp, StandaloneServer.Config plain) throws Exception;
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("--metrics-token-file", (t, p) -> {
            Path file = Files.write(t.resolve("metrics.token"), "0123456789abcdef-token\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("0123456789abcdef-token", parse(t, "--metrics-token-file", file.toString()).metricsToken);
            assertNull(p.metricsToken);
        });
        ROWS.put("--ledger", (t, p) -> {
            assertNull(p.settings.ledgerUrl());
            assertEquals("jdbc:postgresql://127.0.0.1:5432/goproxy?user=goproxy", parse(t, "--data", t.toString(),
                    "--ledger", "jdbc:postgresql://127.0.0.1:5432/goproxy?user=goproxy").settings.ledgerUrl());
            assertThrows(Main.UsageException.class, () -> parse(t, "--ledger", "jdbc:postgresql://h/db"));
        });
        ROWS.put("--ledger-password-file", (t, p) -> {
            assertNull(p.settings.ledgerPasswordFile());
            assertEquals(t.resolve("pw").toFile(), parse(t, "--data", t.toString(), "--ledger", "jdbc:postgresql://h/db",
                    "--ledger-password-file", t.resolve("pw").toString()).settings.ledgerPasswordFile());
        });
        ROWS.put("--repos", (t, p) -> assertEquals(t.toRealPath(), p.repositories.toRealPath()));
        ROWS.put("--prefix", (t, p) -> assertEquals("git.example.com", parse(t, "--prefix", "git.example.com").prefix));
        ROWS.put("--listen", (t, p) -> {
            StandaloneServer.Config c = parse(t, "--listen", "127.0.0.2:9999");
            assertEquals("127.0.0.2", c.httpHost);
            assertEquals(9999, c.httpPort);
        });
        ROWS.put("--https-listen", (t, p) -> {
            StandaloneServer.Config c = parse(t, pem(t, "--https-listen", "127.0.0.1:9443"));
            assertEquals(9443, c.httpsPort);
            assertEquals(-1, p.httpsPort);
        });
        ROWS.put("--tls-cert", (t, p) -> assertNotNull(parse(t, pem(t, "--https-listen", "127.0.0.1:9443")).tls));
        ROWS.put("--tls-key", ROWS.get("--tls-cert"));
        ROWS.put("--keystore", (t, p) -> {
            Path ks = TestPki.create().writeServerKeyStore(t.resolve("server.p12"), "PKCS12", "server", "secret");
            assertNotNull(parse(t, "--https-listen", "127.0.0.1:9443", "--keystore", ks.toString(),
                    "--keystore-password", "secret").tls);
        });
        ROWS.put("--keystore-password", ROWS.get("--keystore"));
        ROWS.put("--users", (t, p) -> {
            Path users = t.resolve("users");
            Files.write(users, new byte[0]);
            assertEquals(users, parse(t, "--users", users.toString()).usersFile);
            assertEquals(null, p.usersFile);
        });
        ROWS.put("--access", (t, p) -> {
            Path users = t.resolve("users");
            Path access = t.resolve("access");
            Files.write(users, new byte[0]);
            Files.write(access, "public/** anonymous\n".getBytes(StandardCharsets.UTF_8));
            assertEquals(access, parse(t, "--users", users.toString(), "--access", access.toString()).accessFile);
        });
        ROWS.put("--data", (t, p) -> {
            assertEquals(null, p.settings.dataDirectory());
            assertEquals(t.resolve("d").toFile(), parse(t, "--data", t.resolve("d").toString()).settings.dataDirectory());
        });
        ROWS.put("--cache-max-size", (t, p) -> assertEquals(500L * 1024 * 1024,
                parse(t, "--cache-max-size", "500m").settings.cacheMaxBytes()));
        ROWS.put("--max-builds", (t, p) -> assertEquals(7, parse(t, "--max-builds", "7").settings.maxConcurrentBuilds()));
        ROWS.put("--build-queue-timeout", (t, p) -> assertEquals(5000,
                parse(t, "--build-queue-timeout", "5").settings.buildQueueTimeoutMillis()));
        ROWS.put("--no-legacy-versions", (t, p) -> {
            assertTrue(p.settings.serveLegacyVersions());
            assertTrue(!parse(t, "--no-legacy-versions").settings.serveLegacyVersions());
        });
        ROWS.put("--serve-foreign-module-paths", (t, p) -> {
            assertTrue(!p.settings.serveForeignModulePaths());
            assertTrue(parse(t, "--serve-foreign-module-paths").settings.serveForeignModulePaths());
        });
        ROWS.put("--trusted-proxies", (t, p) -> {
            assertTrue(!p.trustedProxies.isTrustedProxy("10.0.0.1"));
            assertTrue(parse(t, "--trusted-proxies", "10.0.0.0/8").trustedProxies.isTrustedProxy("10.0.0.1"));
        });
        ROWS.put("--max-password-checks", (t, p) -> assertEquals(3,
                parse(t, "--max-password-checks", "3").passwordChecks.maxConcurrentChecks()));
        ROWS.put("--allow-http-credentials", (t, p) -> {
            assertTrue(!p.allowHttpCredentials);
            assertTrue(parse(t, "--allow-http-credentials").allowHttpCredentials);
        });
        ROWS.put("--max-downloads", (t, p) -> assertEquals(5, parse(t, "--max-downloads", "5").maxDownloads));
        ROWS.put("--max-downloads-per-client", (t, p) -> assertEquals(2,
                parse(t, "--max-downloads-per-client", "2").maxDownloadsPerClient));
        ROWS.put("--write-timeout", (t, p) -> assertEquals(7000, parse(t, "--write-timeout", "7").writeTimeoutMillis));
        ROWS.put("--access-log", (t, p) -> {
            assertEquals(null, p.accessLog);
            assertEquals(t.resolve("access.log"), parse(t, "--access-log", t.resolve("access.log").toString()).accessLog);
        });
        ROWS.put("--header-timeout", (t, p) -> assertEquals(3000, parse(t, "--header-timeout", "3").headerTimeoutMillis));
        ROWS.put("--upstream", (t, p) -> {
            assertEquals(null, p.settings.upstream());
            assertEquals("http://a.example,http://b.example|off", parse(t, "--prefix", "git.example.com",
                    "--upstream", "http://a.example,http://b.example|off").settings.upstream().proxies().toString());
            Main.UsageException noPrefix = assertThrows(Main.UsageException.class,
                    () -> parse(t, "--upstream", "http://a.example"));
            assertTrue(noPrefix.getMessage().startsWith("--upstream needs a non-empty --prefix"), noPrefix.getMessage());
            Main.UsageException direct = assertThrows(Main.UsageException.class,
                    () -> parse(t, "--prefix", "git.example.com", "--upstream", "direct"));
            assertTrue(direct.getMessage().startsWith("--upstream: \"direct\" (fetching from version control) is not offered"),
                    direct.getMessage());
        });
        ROWS.put("--upstream-access", (t, p) -> {
            Path users = t.resolve("users");
            Files.write(users, new byte[0]);
            assertTrue(upstream(t).anonymousAccess(), "without a users file anyone may use it");
            assertTrue(!upstream(t, "--users", users.toString()).anonymousAccess());
            assertTrue(upstream(t, "--users", users.toString(), "--upstream-access", "anonymous").anonymousAccess());
        });
        ROWS.put("--upstream-allow", (t, p) -> assertEquals("golang.org/x",
                upstream(t, "--upstream-allow", "golang.org/x").allow().match("golang.org/x/mod")));
        ROWS.put("--upstream-deny", (t, p) -> assertEquals("*.bad.example",
                upstream(t, "--upstream-deny", "*.bad.example").deny().match("git.bad.example/m")));
        ROWS.put("--upstream-metadata-ttl", (t, p) -> assertEquals(5000,
                upstream(t, "--upstream-metadata-ttl", "5").metadataTtlMillis()));
        ROWS.put("--upstream-sumdbs", (t, p) -> {
            assertEquals("sum.golang.org", upstream(t).sumdbs().get(0).name());
            assertEquals("http://127.0.0.1:9", upstream(t, "--upstream-sumdbs",
                    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW http://127.0.0.1:9")
                    .sumdbs().get(0).url());
        });
        ROWS.put("--upstream-no-sum-check", (t, p) -> assertEquals("private.example",
                upstream(t, "--upstream-no-sum-check", "private.example").noSumCheck().match("private.example/m")));
        ROWS.put("--upstream-timeout", (t, p) -> assertEquals(7000,
                upstream(t, "--upstream-timeout", "7").readTimeoutMillis()));
        ROWS.put("--prebuild-interval", (t, p) -> {
            assertEquals(0, p.prebuildIntervalSeconds);
            assertEquals(5, parse(t, "--data", t.resolve("d").toString(), "--prebuild-interval", "5")
                    .prebuildIntervalSeconds);
            Main.UsageException noData = assertThrows(Main.UsageException.class,
                    () -> parse(t, "--prebuild-interval", "5"));
            assertTrue(noData.getMessage().contains("--data"), noData.getMessage());
        });
        ROWS.put("--max-threads", (t, p) -> {
            assertEquals(64, parse(t, "--max-threads", "64").maxThreads);
            assertNotEquals(64, p.maxThreads);
        });
    }

    @Test
    void everyDocumentedFlagHasARowAndEveryRowIsDocumented() throws Exception {
        assertEquals(new TreeSet<>(documentedFlags()), new TreeSet<>(ROWS.keySet()));
    }

    @Test
    void everyFlagReachesWhatActsOnIt() throws Exception {
        StandaloneServer.Config plain = parse(tmp);
        for (Map.Entry<String, Row> row : ROWS.entrySet()) {
            try {
                row.getValue().check(tmp, plain);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(row.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The flags in the first column of docs/standalone.md's flag table. */
    static List<String> documentedFlags() throws Exception {
        List<String> flags = new ArrayList<>();
        Pattern flag = Pattern.compile("`(--[a-z-]+)");
        for (String line : Files.readAllLines(Paths.get("docs/standalone.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `--")) {
                continue;
            }
            Matcher m = flag.matcher(line.split("\\|")[1]);
            while (m.find()) {
                flags.add(m.group(1));
            }
        }
        return flags;
    }

    private static StandaloneServer.Config parse(Path repos, String... more) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList("--repos", repos.toString()));
        args.addAll(Arrays.asList(more));
        return Main.parse(args.toArray(new String[0]));
    }

    private static com.gitblit.plugin.goproxy.upstream.UpstreamSettings upstream(Path repos, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList("--prefix", "git.example.com", "--upstream", "http://a.example"));
        args.addAll(Arrays.asList(more));
        return parse(repos, args.toArray(new String[0])).settings.upstream();
    }

    private static String[] pem(Path t, String... more) throws Exception {
        TestPki pki = TestPki.create();
        Path cert = pki.writeServerCertPem(t.resolve("cert.pem"));
        Path key = pki.writeServerKeyPem(t.resolve("key.pem"));
        List<String> args = new ArrayList<>(Arrays.asList(more));
        args.addAll(Arrays.asList("--tls-cert", cert.toString(), "--tls-key", key.toString()));
        return args.toArray(new String[0]);
    }
}
