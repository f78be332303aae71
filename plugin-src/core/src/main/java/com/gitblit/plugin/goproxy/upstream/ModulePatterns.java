package com.gitblit.plugin.goproxy.upstream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A list of module path patterns in GOPRIVATE syntax: comma-separated globs (Go's {@code path.Match}), each
 * matching a module path whose leading elements it matches, so {@code *.corp.example} matches
 * {@code git.corp.example/team/m} and {@code example.com/a} matches {@code example.com/a/b}.
 */
public final class ModulePatterns {
    private static final ModulePatterns NONE = new ModulePatterns(Collections.<String>emptyList(), "");

    private final List<String> globs;
    private final String text;

    private ModulePatterns(List<String> globs, String text) {
        this.globs = globs;
        this.text = text;
    }

    /**
     * Parses a list; an empty value matches nothing.
     *
     * @throws IllegalArgumentException for a malformed glob (unclosed {@code [}, trailing {@code \})
     */
    public static ModulePatterns parse(String value) {
        if (value == null || value.trim().isEmpty()) {
            return NONE;
        }
        List<String> globs = new ArrayList<>();
        for (String g : value.split(",")) {
            String glob = g.trim();
            while (glob.endsWith("/")) {
                glob = glob.substring(0, glob.length() - 1);
            }
            if (glob.isEmpty()) {
                continue;
            }
            GoGlob.check(glob);
            globs.add(glob);
        }
        return new ModulePatterns(Collections.unmodifiableList(globs), value.trim());
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** The first pattern that matches {@code modulePath}, or {@code null}. */
    public String match(String modulePath) {
        String[] elements = modulePath.split("/", -1);
        for (String glob : globs) {
            int n = glob.split("/", -1).length;
            if (n > elements.length) {
                continue;
            }
            StringBuilder prefix = new StringBuilder(elements[0]);
            for (int i = 1; i < n; i++) {
                prefix.append('/').append(elements[i]);
            }
            if (GoGlob.matches(glob, prefix.toString())) {
                return glob;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
