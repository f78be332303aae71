package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import javax.servlet.http.HttpServletRequest;

/**
 * The absolute URL of the instance proxy base, for go-import meta tags: {@code web.canonicalUrl} + {@code /go}
 * when Gitblit knows its public URL, else the URL the request came in on (scheme, host, port unless it is the
 * scheme's default, context path) + {@code /go}.
 */
final class ProxyBaseUrl {
    private ProxyBaseUrl() {
    }

    static String of(HttpServletRequest request, IStoredSettings settings) {
        String canonical = settings.getString(Keys.web.canonicalUrl, "").trim();
        if (!canonical.isEmpty()) {
            return trimTrailingSlashes(canonical) + "/" + GoProxyFilter.BASE;
        }
        String scheme = request.getScheme();
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + trimTrailingSlashes(context) + "/"
                + GoProxyFilter.BASE;
    }

    private static String trimTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }
}
