package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.Constants.AccessRestrictionType;
import com.gitblit.models.RepositoryModel;
import com.gitblit.plugin.goproxy.release.PushCheckMode;
import com.gitblit.plugin.goproxy.service.ProxySettings;

/**
 * Every {@code goproxy.*} setting in docs/settings.md is a row here that flips it and checks that it reaches what
 * acts on it: the switch, the namespace, the sign-in guard, or the field of the one settings model (whose effect
 * on the service ProxySettingsBehaviourTest checks; the filter's discovery switch GoProxyFilterTest's). A
 * documented setting without a row, or a row for an undocumented one, fails.
 */
class DocumentedSettingsTest {
    @TempDir
    File base;

    private interface Row {
        void check(FakeGitblit gitblit) throws Exception;
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put(PluginSettings.ENABLED_BY_DEFAULT, g -> {
            RepositoryModel unset = g.repository("team/lib.git", AccessRestrictionType.NONE, null);
            assertFalse(new GoSwitch(g.settings).isEnabled(unset));
            g.settings.with(PluginSettings.ENABLED_BY_DEFAULT, "true");
            assertTrue(new GoSwitch(g.settings).isEnabled(unset));
        });
        ROWS.put(PluginSettings.MODULE_HOST, g -> {
            g.settings.with("web.canonicalUrl", "https://git.example.com");
            assertEquals("git.example.com", new ModuleNamespace(g.settings).of(null));
            g.settings.with(PluginSettings.MODULE_HOST, "go.example.com");
            assertEquals("go.example.com", new ModuleNamespace(g.settings).of(null));
        });
        ROWS.put(PluginSettings.ACCESS_LOG, g -> {
            org.mockito.Mockito.when(g.runtime.getFileOrFolder(org.mockito.ArgumentMatchers.eq(PluginSettings.ACCESS_LOG),
                    org.mockito.ArgumentMatchers.anyString()))
                    .thenAnswer(call -> new File(call.<String>getArgument(1).replace("${baseFolder}", "/srv/gitblit")));
            assertNull(PluginSettings.accessLog(g.runtime));
            g.settings.with(PluginSettings.ACCESS_LOG, "${baseFolder}/logs/goproxy-access.log");
            assertEquals(new File("/srv/gitblit/logs/goproxy-access.log"), PluginSettings.accessLog(g.runtime));
        });
        ROWS.put(PluginSettings.METRICS_TOKEN, g -> {
            assertNull(PluginSettings.metricsToken(g.settings));
            g.settings.with(PluginSettings.METRICS_TOKEN, " scrape-token-0123456789 ");
            assertEquals("scrape-token-0123456789", PluginSettings.metricsToken(g.settings));
        });
        ROWS.put(PluginSettings.GO_GET_DISCOVERY, g -> {
            assertTrue(PluginSettings.goGetDiscovery(g.settings));
            g.settings.with(PluginSettings.GO_GET_DISCOVERY, "false");
            assertFalse(PluginSettings.goGetDiscovery(g.settings));
        });
        ROWS.put(PluginSettings.DATA_FOLDER, g -> {
            File before = proxySettings(g).dataDirectory();
            g.settings.with(PluginSettings.DATA_FOLDER, "/srv/goproxy-data");
            assertEquals(new File("/srv/goproxy-data"), proxySettings(g).dataDirectory());
            assertNotEquals(before, proxySettings(g).dataDirectory());
        });
        ROWS.put(PluginSettings.LEDGER, g -> {
            assertNull(proxySettings(g).ledgerUrl(), "the file ledger is the default");
            g.settings.with(PluginSettings.LEDGER, "jdbc:postgresql://db.example:5432/goproxy?user=goproxy");
            assertEquals("jdbc:postgresql://db.example:5432/goproxy?user=goproxy", proxySettings(g).ledgerUrl());
        });
        ROWS.put(PluginSettings.LEDGER_PASSWORD_FILE, g -> {
            when(g.runtime.getFileOrFolder(eq(PluginSettings.LEDGER_PASSWORD_FILE), anyString()))
                    .thenAnswer(call -> new File(call.<String>getArgument(1).replace("${baseFolder}", "/srv/gitblit")));
            assertNull(proxySettings(g).ledgerPasswordFile());
            g.settings.with(PluginSettings.LEDGER_PASSWORD_FILE, "${baseFolder}/goproxy-db.password");
            assertEquals(new File("/srv/gitblit/goproxy-db.password"), proxySettings(g).ledgerPasswordFile());
        });
        ROWS.put(PluginSettings.CACHE_MAX_SIZE, g -> {
            g.settings.with(PluginSettings.CACHE_MAX_SIZE, "500m");
            assertEquals(500L * 1024 * 1024, proxySettings(g).cacheMaxBytes());
        });
        ROWS.put(PluginSettings.MAX_CONCURRENT_BUILDS, g -> {
            g.settings.with(PluginSettings.MAX_CONCURRENT_BUILDS, "7");
            assertEquals(7, proxySettings(g).maxConcurrentBuilds());
        });
        ROWS.put(PluginSettings.BUILD_QUEUE_TIMEOUT, g -> {
            g.settings.with(PluginSettings.BUILD_QUEUE_TIMEOUT, "5");
            assertEquals(5000, proxySettings(g).buildQueueTimeoutMillis());
        });
        ROWS.put(PluginSettings.SERVE_LEGACY_VERSIONS, g -> {
            assertTrue(proxySettings(g).sourceSettings().serveLegacyVersions());
            g.settings.with(PluginSettings.SERVE_LEGACY_VERSIONS, "false");
            assertFalse(proxySettings(g).sourceSettings().serveLegacyVersions());
        });
        ROWS.put(PluginSettings.SERVE_FOREIGN_MODULE_PATHS, g -> {
            assertFalse(proxySettings(g).sourceSettings().serveForeignModulePaths());
            g.settings.with(PluginSettings.SERVE_FOREIGN_MODULE_PATHS, "true");
            assertTrue(proxySettings(g).sourceSettings().serveForeignModulePaths(),
                    "the setting must reach the git source, where it acts");
        });
        ROWS.put(PluginSettings.MAX_CONCURRENT_PASSWORD_CHECKS, g -> {
            g.settings.with(PluginSettings.MAX_CONCURRENT_PASSWORD_CHECKS, "3");
            assertEquals(3, PluginSettings.passwordChecks(g.settings).maxConcurrentChecks());
        });
        ROWS.put(PluginSettings.MAX_DOWNLOADS, g -> {
            g.settings.with(PluginSettings.MAX_DOWNLOADS, "9");
            assertEquals(9, GitblitDownloads.create(g.settings).slots().max());
        });
        ROWS.put(PluginSettings.MAX_DOWNLOADS_PER_CLIENT, g -> {
            g.settings.with(PluginSettings.MAX_DOWNLOADS_PER_CLIENT, "3");
            assertEquals(3, GitblitDownloads.create(g.settings).slots().perClient());
        });
        ROWS.put(PluginSettings.PUSH_CHECKS, g -> {
            RepositoryModel plain = g.repository("team/lib.git", AccessRestrictionType.NONE, null);
            RepositoryModel strict = g.repository("team/strict.git", AccessRestrictionType.NONE, null);
            strict.customFields = new java.util.HashMap<>(java.util.Map.of(PluginSettings.PUSH_CHECKS_FIELD, "reject"));
            assertEquals(PushCheckMode.WARN, PluginSettings.pushChecks(g.settings, plain));
            assertEquals(PushCheckMode.REJECT, PluginSettings.pushChecks(g.settings, strict));
            g.settings.with(PluginSettings.PUSH_CHECKS, "off");
            assertEquals(PushCheckMode.OFF, PluginSettings.pushChecks(g.settings, plain));
            assertEquals(PushCheckMode.REJECT, PluginSettings.pushChecks(g.settings, strict), "the field wins");
        });
        ROWS.put(PluginSettings.PROTECT_RELEASED_TAGS, g -> {
            assertEquals(PushCheckMode.WARN, PluginSettings.protectReleasedTags(g.settings));
            g.settings.with(PluginSettings.PROTECT_RELEASED_TAGS, "reject");
            assertEquals(PushCheckMode.REJECT, PluginSettings.protectReleasedTags(g.settings));
        });
        ROWS.put(PluginSettings.PREBUILD_QUEUE_LENGTH, g -> {
            assertEquals(100, proxySettings(g).prebuildQueueLength());
            g.settings.with(PluginSettings.PREBUILD_QUEUE_LENGTH, "0");
            assertEquals(0, proxySettings(g).prebuildQueueLength());
        });
        ROWS.put(PluginSettings.ACCESS_TOKENS, g -> {
            com.gitblit.manager.IUserManager users = org.mockito.Mockito.mock(com.gitblit.manager.IUserManager.class);
            GoProxyRuntime on = new GoProxyRuntime(g.runtime, g.repositories, g.authentication, users);
            on.start();
            try {
                assertTrue(on.tokens() != null, "tokens are on by default");
            } finally {
                on.stop();
            }
            g.settings.with(PluginSettings.ACCESS_TOKENS, "false");
            GoProxyRuntime off = new GoProxyRuntime(g.runtime, g.repositories, g.authentication, users);
            off.start();
            try {
                assertTrue(off.tokens() == null, "no token store, no token page, no token sign-in");
            } finally {
                off.stop();
            }
        });
        ROWS.put(PluginSettings.DOCS_SITE_URL, g -> {
            assertEquals("https://pkg.go.dev", PluginSettings.docsSiteUrl(g.settings));
            g.settings.with(PluginSettings.DOCS_SITE_URL, "");
            assertEquals("", PluginSettings.docsSiteUrl(g.settings));
            g.settings.with(PluginSettings.DOCS_SITE_URL, "https://docs.example.com");
            assertEquals("https://docs.example.com/github.com/x/y", new com.gitblit.plugin.goproxy.catalog.GoModLinks(
                    "git.example.com", p -> p, PluginSettings.docsSiteUrl(g.settings)).targetOf("github.com/x/y"));
        });
        ROWS.put(PluginSettings.UPSTREAM, g -> {
            assertNull(proxySettings(g).upstream());
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example,http://b.example|off");
            assertEquals("[http://a.example, http://b.example, off]",
                    proxySettings(g).upstream().proxies().entries().toString());
            g.settings.with(PluginSettings.UPSTREAM, "https://proxy.golang.org,direct");
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> proxySettings(g));
            assertTrue(e.getMessage().startsWith("goproxy.upstream: \"direct\" (fetching from version control) is not offered"),
                    e.getMessage());
        });
        ROWS.put(PluginSettings.UPSTREAM_ACCESS, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            assertFalse(proxySettings(g).upstream().anonymousAccess());
            g.settings.with(PluginSettings.UPSTREAM_ACCESS, "anonymous");
            assertTrue(proxySettings(g).upstream().anonymousAccess());
            g.settings.with(PluginSettings.UPSTREAM_ACCESS, "everyone");
            assertThrows(java.io.IOException.class, () -> proxySettings(g));
        });
        ROWS.put(PluginSettings.UPSTREAM_ALLOW, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            g.settings.with(PluginSettings.UPSTREAM_ALLOW, "golang.org/x,*.corp.example");
            assertEquals("*.corp.example", proxySettings(g).upstream().allow().match("git.corp.example/m"));
        });
        ROWS.put(PluginSettings.UPSTREAM_DENY, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            g.settings.with(PluginSettings.UPSTREAM_DENY, "example.com/bad");
            assertEquals("example.com/bad", proxySettings(g).upstream().deny().match("example.com/bad/sub"));
        });
        ROWS.put(PluginSettings.UPSTREAM_METADATA_TTL, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            assertEquals(600_000, proxySettings(g).upstream().metadataTtlMillis());
            g.settings.with(PluginSettings.UPSTREAM_METADATA_TTL, "30");
            assertEquals(30_000, proxySettings(g).upstream().metadataTtlMillis());
        });
        ROWS.put(PluginSettings.UPSTREAM_SUMDBS, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            assertEquals("sum.golang.org", proxySettings(g).upstream().sumdbs().get(0).name());
            assertEquals("https://sum.golang.org", proxySettings(g).upstream().sumdbs().get(0).url());
            g.settings.with(PluginSettings.UPSTREAM_SUMDBS,
                    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW http://127.0.0.1:1");
            assertEquals("http://127.0.0.1:1", proxySettings(g).upstream().sumdbs().get(0).url());
        });
        ROWS.put(PluginSettings.UPSTREAM_NO_SUM_CHECK, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            g.settings.with(PluginSettings.UPSTREAM_NO_SUM_CHECK, "private.example");
            assertEquals("private.example", proxySettings(g).upstream().noSumCheck().match("private.example/m"));
        });
        ROWS.put(PluginSettings.UPSTREAM_TIMEOUT, g -> {
            g.settings.with(PluginSettings.UPSTREAM, "http://a.example");
            assertEquals(60_000, proxySettings(g).upstream().readTimeoutMillis());
            g.settings.with(PluginSettings.UPSTREAM_TIMEOUT, "5");
            assertEquals(5_000, proxySettings(g).upstream().readTimeoutMillis());
        });
        ROWS.put(PluginSettings.TRUSTED_PROXIES, g -> {
            assertFalse(PluginSettings.trustedProxies(g.settings).isTrustedProxy("10.0.0.1"));
            g.settings.with(PluginSettings.TRUSTED_PROXIES, "10.0.0.0/8");
            assertTrue(PluginSettings.trustedProxies(g.settings).isTrustedProxy("10.0.0.1"));
        });
    }

    @Test
    void everyDocumentedSettingHasARowAndEveryRowIsDocumented() throws Exception {
        TreeSet<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `(goproxy\\.[A-Za-z]+)`", Pattern.MULTILINE)
                .matcher(new String(Files.readAllBytes(Paths.get("docs/settings.md")), StandardCharsets.UTF_8));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(documented, new TreeSet<>(ROWS.keySet()));
    }

    @Test
    void everySettingReachesWhatActsOnIt() throws Exception {
        for (Map.Entry<String, Row> row : ROWS.entrySet()) {
            FakeGitblit gitblit = new FakeGitblit(base);
            // As Gitblit's runtime manager: the folder setting, with ${baseFolder} as the default's root.
            when(gitblit.runtime.getFileOrFolder(eq(PluginSettings.DATA_FOLDER), anyString())).thenAnswer(call ->
                    new File(gitblit.settings.getString(PluginSettings.DATA_FOLDER,
                            call.getArgument(1, String.class).replace("${baseFolder}", base.getPath()))));
            try {
                row.getValue().check(gitblit);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(row.getKey() + ": " + e.getMessage(), e);
            }
        }
    }

    private static ProxySettings proxySettings(FakeGitblit g) throws java.io.IOException {
        return PluginSettings.proxySettings(g.runtime);
    }
}
