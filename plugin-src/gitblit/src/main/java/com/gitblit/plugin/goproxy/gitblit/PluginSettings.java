package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.manager.IRuntimeManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.release.PushCheckMode;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.upstream.UpstreamConfig;
import com.gitblit.plugin.goproxy.upstream.UpstreamSettings;
import java.io.File;
import java.io.IOException;

/**
 * The plugin's settings, read as {@code goproxy.<name>} from gitblit.properties (the prefix is the plugin id,
 * as Gitblit passes plugin settings to filters). Every key, its default and its meaning are documented once,
 * in docs/settings.md; the names are here.
 */
final class PluginSettings {
    static final String PREFIX = "goproxy.";

    /** Module path prefix this Gitblit owns; default: host and path of web.canonicalUrl. */
    static final String MODULE_HOST = PREFIX + "moduleHost";
    /** Whether repositories without the per-repository switch serve Go modules. */
    static final String ENABLED_BY_DEFAULT = PREFIX + "enabledByDefault";
    static final String SERVE_LEGACY_VERSIONS = PREFIX + "serveLegacyVersions";
    static final String SERVE_FOREIGN_MODULE_PATHS = PREFIX + "serveForeignModulePaths";
    static final String DATA_FOLDER = PREFIX + "dataFolder";
    static final String CACHE_MAX_SIZE = PREFIX + "cacheMaxSize";
    /** The shared version ledger (jdbc:postgresql://...; empty: the file ledger) and its password file. */
    static final String LEDGER = PREFIX + "ledger";
    static final String LEDGER_PASSWORD_FILE = PREFIX + "ledgerPasswordFile";
    static final String MAX_CONCURRENT_BUILDS = PREFIX + "maxConcurrentBuilds";
    static final String BUILD_QUEUE_TIMEOUT = PREFIX + "buildQueueTimeoutSeconds";
    /** Password checks (Basic credentials not seen recently) allowed to run at once; beyond: 429. */
    static final String MAX_CONCURRENT_PASSWORD_CHECKS = PREFIX + "maxConcurrentPasswordChecks";
    /** Reverse proxies whose X-Forwarded-For names the client: IP addresses or CIDR ranges. */
    static final String TRUSTED_PROXIES = PREFIX + "trustedProxies";
    /** Module downloads streaming at once, in all and per client address; beyond: 503 / 429. */
    static final String MAX_DOWNLOADS = PREFIX + "maxDownloads";
    static final String MAX_DOWNLOADS_PER_CLIENT = PREFIX + "maxDownloadsPerClient";
    /** Whether {@code ?go-get=1} is answered and module paths opened in a browser lead to the repository page. */
    static final String GO_GET_DISCOVERY = PREFIX + "goGetDiscovery";

    /** Push checks of version tags: warn (default), reject, off; per repository {@link #PUSH_CHECKS_FIELD}. */
    static final String PUSH_CHECKS = PREFIX + "pushChecks";
    /** Moving or deleting the tag of a pinned version: warn (default), reject, off. */
    static final String PROTECT_RELEASED_TAGS = PREFIX + "protectReleasedTags";
    /** Pushed versions that may wait for a zip built ahead of their first download; 0 turns pre-building off. */
    static final String PREBUILD_QUEUE_LENGTH = PREFIX + "prebuildQueueLength";
    /** The repository custom field that overrides {@link #PUSH_CHECKS} for one repository. */
    static final String PUSH_CHECKS_FIELD = "goPushChecks";
    /** Bearer token that may read {@code /go/-/metrics} besides Gitblit's administrators; empty: none. */
    static final String METRICS_TOKEN = PREFIX + "metricsToken";
    static final String ACCESS_LOG = PREFIX + "accessLog";
    /** Whether Go access tokens are accepted and offered on the token page. */
    static final String ACCESS_TOKENS = PREFIX + "accessTokens";
    /** The dependency proxy: GOPROXY-syntax upstream list (empty = off) and its companions (docs/settings.md). */
    static final String UPSTREAM = PREFIX + "upstream";
    static final String UPSTREAM_ACCESS = PREFIX + "upstreamAccess";
    static final String UPSTREAM_ALLOW = PREFIX + "upstreamAllow";
    static final String UPSTREAM_DENY = PREFIX + "upstreamDeny";
    static final String UPSTREAM_METADATA_TTL = PREFIX + "upstreamMetadataTtl";
    static final String UPSTREAM_SUMDBS = PREFIX + "upstreamSumdbs";
    static final String UPSTREAM_NO_SUM_CHECK = PREFIX + "upstreamNoSumCheck";
    static final String UPSTREAM_TIMEOUT = PREFIX + "upstreamTimeout";

    /** The repository custom field (Edit Repository page) that switches Go on or off for one repository. */
    static final String CUSTOM_FIELD = "goProxy";
    /** Where go.mod links to modules outside this forge's namespace lead; empty: no link. */
    static final String DOCS_SITE_URL = PREFIX + "docsSiteUrl";
    static final String DEFAULT_DOCS_SITE_URL = "https://pkg.go.dev";

    private PluginSettings() {
    }

    static ProxySettings proxySettings(IRuntimeManager runtime) throws IOException {
        IStoredSettings s = runtime.getSettings();
        UpstreamSettings upstream;
        try {
            upstream = UpstreamConfig.read(key -> s.getString(PREFIX + key, null), key -> PREFIX + key);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        ProxySettings defaults = ProxySettings.builder().build();
        File data = dataFolder(runtime);
        return ProxySettings.builder()
                .serveLegacyVersions(s.getBoolean(SERVE_LEGACY_VERSIONS, defaults.serveLegacyVersions()))
                .serveForeignModulePaths(s.getBoolean(SERVE_FOREIGN_MODULE_PATHS, defaults.serveForeignModulePaths()))
                .dataDirectory(data)
                .cacheMaxBytes(s.getFilesize(CACHE_MAX_SIZE, defaults.cacheMaxBytes()))
                .maxConcurrentBuilds(Math.max(1, s.getInteger(MAX_CONCURRENT_BUILDS, defaults.maxConcurrentBuilds())))
                .buildQueueTimeoutMillis(1000L * Math.max(0,
                        s.getInteger(BUILD_QUEUE_TIMEOUT, (int) (defaults.buildQueueTimeoutMillis() / 1000))))
                .prebuildQueueLength(Math.max(0, s.getInteger(PREBUILD_QUEUE_LENGTH, defaults.prebuildQueueLength())))
                .upstream(upstream)
                .ledger(s.getString(LEDGER, ""), ledgerPasswordFile(runtime))
                .build();
    }

    /** {@code goproxy.ledgerPasswordFile}, relative to Gitblit's base folder; null when empty. */
    private static File ledgerPasswordFile(IRuntimeManager runtime) {
        String value = runtime.getSettings().getString(LEDGER_PASSWORD_FILE, "").trim();
        return value.isEmpty() ? null : runtime.getFileOrFolder(LEDGER_PASSWORD_FILE, value);
    }

    /** {@code goproxy.dataFolder}, default {@code ${baseFolder}/goproxy}. */
    static File dataFolder(IRuntimeManager runtime) {
        return runtime.getFileOrFolder(DATA_FOLDER, "${baseFolder}/goproxy");
    }

    /** How many password checks may run at once ({@code goproxy.maxConcurrentPasswordChecks}). */
    static PasswordGuard.Settings passwordChecks(IStoredSettings s) {
        return new PasswordGuard.Settings().maxConcurrentChecks(Math.max(1,
                s.getInteger(MAX_CONCURRENT_PASSWORD_CHECKS, PasswordGuard.Settings.defaultConcurrentChecks())));
    }

    /** Whose {@code X-Forwarded-For} counts ({@code goproxy.trustedProxies}). */
    static ClientAddresses trustedProxies(IStoredSettings s) {
        return ClientAddresses.trusting(s.getString(TRUSTED_PROXIES, ""));
    }

    /**
     * How a push to {@code model} is checked: its {@link #PUSH_CHECKS_FIELD} field when that names a mode, else
     * {@link #PUSH_CHECKS}, else warn. Live: read at every push.
     */
    static PushCheckMode pushChecks(IStoredSettings s, RepositoryModel model) {
        String field = model == null || model.customFields == null ? null : model.customFields.get(PUSH_CHECKS_FIELD);
        PushCheckMode own = PushCheckMode.parse(field);
        if (own != null) {
            return own;
        }
        PushCheckMode instance = PushCheckMode.parse(s.getString(PUSH_CHECKS, "warn"));
        return instance != null ? instance : PushCheckMode.WARN;
    }

    /** What a push that moves or deletes the tag of a pinned version meets ({@link #PROTECT_RELEASED_TAGS}). */
    static PushCheckMode protectReleasedTags(IStoredSettings s) {
        PushCheckMode mode = PushCheckMode.parse(s.getString(PROTECT_RELEASED_TAGS, "warn"));
        return mode != null ? mode : PushCheckMode.WARN;
    }

    /** Whether Go access tokens are on ({@code goproxy.accessTokens}); read at start. */
    static boolean accessTokens(IStoredSettings s) {
        return s.getBoolean(ACCESS_TOKENS, true);
    }

    /** Whether {@code ?go-get=1} and browser redirects are answered; read per request (a live setting). */
    /** Read per request, so that a changed token is live; null when none is set. */
    /** {@code goproxy.accessLog}: the file of the proxy's access log, or null for none (the default). */
    static File accessLog(IRuntimeManager runtime) {
        String value = runtime.getSettings().getString(ACCESS_LOG, "").trim();
        return value.isEmpty() ? null : runtime.getFileOrFolder(ACCESS_LOG, value);
    }

    static String metricsToken(IStoredSettings s) {
        String token = s.getString(METRICS_TOKEN, "").trim();
        return token.isEmpty() ? null : token;
    }

    static boolean goGetDiscovery(IStoredSettings s) {
        return s.getBoolean(GO_GET_DISCOVERY, true);
    }

    /** {@link #DOCS_SITE_URL}: the site go.mod links outside the namespace lead to; {@code ""} for none. */
    static String docsSiteUrl(IStoredSettings settings) {
        return settings.getString(DOCS_SITE_URL, DEFAULT_DOCS_SITE_URL).trim();
    }
}
