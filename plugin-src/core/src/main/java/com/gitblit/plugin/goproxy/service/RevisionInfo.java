package com.gitblit.plugin.goproxy.service;

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

    /**
     * Reads back what {@link #toJson()} wrote (a stored {@code .info}); {@code null} for anything else.
     */
    static RevisionInfo fromJson(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\{\"Version\":\"([^\"\\\\]+)\",\"Time\":\"([^\"]+)\"\\}").matcher(json.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            return new RevisionInfo(m.group(1), Instant.parse(m.group(2)));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
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
