package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module path prefix this Gitblit owns: {@code goproxy.moduleHost} if set (a vanity domain), else the host
 * and path of {@code web.canonicalUrl}, else the request's host name. A module path has no port and a
 * lower-case first element, so a port is dropped (go-get discovery then needs the default HTTPS port) and the
 * host is lower-cased.
 */
final class ModuleNamespace {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleNamespace.class);

    private final IStoredSettings settings;
    private final AtomicBoolean warnedRequestHost = new AtomicBoolean();
    private volatile String lastFromRequest;

    ModuleNamespace(IStoredSettings settings) {
        this.settings = settings;
    }

    String of(HttpServletRequest request) {
        String configured = configured();
        if (configured != null) {
            return configured;
        }
        if (warnedRequestHost.compareAndSet(false, true)) {
            LOG.warn("goproxy: neither {} nor {} is set; module paths are taken from the request's host name ({}),"
                    + " so they change with the name clients use", PluginSettings.MODULE_HOST, Keys.web.canonicalUrl,
                    request.getServerName());
        }
        String fromRequest = hostAndContext(request.getServerName(), request.getContextPath());
        lastFromRequest = fromRequest;
        return fromRequest;
    }

    /**
     * The namespace outside any request (a push): the configured one, else the one the last proxy request was
     * answered under; null when neither is known.
     */
    String withoutRequest() {
        String configured = configured();
        return configured != null ? configured : lastFromRequest;
    }

    private String configured() {
        String configured = settings.getString(PluginSettings.MODULE_HOST, "").trim();
        if (!configured.isEmpty()) {
            return trimSlashes(configured);
        }
        return fromUrl(settings.getString(Keys.web.canonicalUrl, "").trim());
    }

    /** {@code https://Git.Example.com:8443/gitblit/} → {@code git.example.com/gitblit}; null if unusable. */
    static String fromUrl(String url) {
        if (url.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return null;
            }
            return hostAndContext(uri.getHost(), uri.getPath());
        } catch (URISyntaxException e) {
            LOG.warn("goproxy: {} is not a URL: {}", Keys.web.canonicalUrl, url);
            return null;
        }
    }

    private static String hostAndContext(String host, String path) {
        String h = host.toLowerCase(Locale.ROOT);
        String p = path == null ? "" : trimSlashes(path);
        return p.isEmpty() ? h : h + "/" + p;
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
