package com.gitblit.plugin.goproxy.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A list of upstream proxies in GOPROXY syntax: URLs separated by {@code ,} (try the next one only after a 404
 * or 410) or {@code |} (after any error), and {@code off} (stop: nothing further is asked). {@code direct} is
 * refused: fetching from version control is not something this proxy does for third-party modules.
 */
public final class UpstreamList {

    /** One entry: a proxy base URL (without trailing slash) or {@code off}, and whether any error falls through. */
    public static final class Entry {
        private final String url;
        private final boolean fallThroughOnAnyError;

        Entry(String url, boolean fallThroughOnAnyError) {
            this.url = url;
            this.fallThroughOnAnyError = fallThroughOnAnyError;
        }

        /** The base URL, or {@code null} for {@code off}. */
        public String url() {
            return url;
        }

        public boolean isOff() {
            return url == null;
        }

        /** True when the separator after this entry was {@code |}. */
        public boolean fallThroughOnAnyError() {
            return fallThroughOnAnyError;
        }

        @Override
        public String toString() {
            return url == null ? "off" : url;
        }
    }

    private final List<Entry> entries;
    private final String text;

    private UpstreamList(List<Entry> entries, String text) {
        this.entries = Collections.unmodifiableList(entries);
        this.text = text;
    }

    /**
     * Parses a list; {@code null} for an empty value (the dependency proxy is off).
     *
     * @throws IllegalArgumentException with a one-line reason for {@code direct}, a bad URL or an empty element
     */
    public static UpstreamList parse(String value) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        String s = value.trim();
        List<Entry> entries = new ArrayList<>();
        int start = 0;
        while (start <= s.length()) {
            int comma = s.indexOf(',', start);
            int bar = s.indexOf('|', start);
            int end = comma < 0 ? bar : bar < 0 ? comma : Math.min(comma, bar);
            String element = (end < 0 ? s.substring(start) : s.substring(start, end)).trim();
            boolean anyError = end >= 0 && s.charAt(end) == '|';
            entries.add(entry(element, anyError));
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        return new UpstreamList(entries, s);
    }

    private static Entry entry(String element, boolean anyError) {
        if (element.isEmpty()) {
            throw new IllegalArgumentException("empty element in the upstream list");
        }
        if (element.equals("off")) {
            return new Entry(null, anyError);
        }
        if (element.equals("direct")) {
            throw new IllegalArgumentException("\"direct\" (fetching from version control) is not offered: "
                    + "list upstream proxy URLs, e.g. https://proxy.golang.org");
        }
        if (element.equals("noproxy")) {
            throw new IllegalArgumentException("\"noproxy\" is not offered: list upstream proxy URLs");
        }
        URI uri;
        try {
            uri = new URI(element);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + element);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not an http(s) proxy URL without credentials, query or fragment: "
                    + element);
        }
        String url = element;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new Entry(url, anyError);
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return text;
    }
}
