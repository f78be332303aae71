package com.gitblit.plugin.goproxy.proxy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The answer to {@code .info} and {@code @latest}: a canonical version and its commit time. */
public final class RevisionInfo {
    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final String version;
    private final Instant time;

    public RevisionInfo(String version, Instant time) {
        this.version = version;
        this.time = time;
    }

    public String version() {
        return version;
    }

    public Instant time() {
        return time;
    }

    /**
     * The JSON the go command reads: field names are Go struct names; git times have whole seconds,
     * written in UTC with a {@code Z}, as direct mode writes them into the module cache.
     */
    public String toJson() {
        return "{\"Version\":\"" + jsonEscape(version) + "\",\"Time\":\"" + RFC3339_SECONDS.format(time) + "\"}";
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
