package com.gitblit.plugin.goproxy.module;

/**
 * The case-encoding of module paths and versions in proxy URLs and cache paths (x/mod EscapePath,
 * UnescapePath, EscapeVersion, UnescapeVersion): upper-case ASCII {@code X} is written {@code !x}.
 * Unescaping rejects raw upper case, a {@code !} not followed by a–z, and non-ASCII, and re-checks the result.
 */
public final class ModuleEscaping {
    private ModuleEscaping() {
    }

    public static String escapePath(String path) throws ModuleRuleException {
        ModulePath.checkPath(path);
        return escape(path);
    }

    public static String unescapePath(String escaped) throws ModuleRuleException {
        String path = unescape(escaped);
        if (path == null) {
            throw new ModuleRuleException("invalid escaped module path " + ModulePath.quote(escaped));
        }
        try {
            ModulePath.checkPath(path);
        } catch (ModuleRuleException e) {
            throw new ModuleRuleException("invalid escaped module path " + ModulePath.quote(escaped) + ": "
                    + e.getMessage());
        }
        return path;
    }

    public static String escapeVersion(String version) throws ModuleRuleException {
        if (ModulePath.fileElementProblem(version) != null || version.indexOf('!') >= 0 || !isAscii(version)) {
            throw new ModuleRuleException("version " + ModulePath.quote(version) + " invalid: disallowed version string");
        }
        return escape(version);
    }

    public static String unescapeVersion(String escaped) throws ModuleRuleException {
        String version = unescape(escaped);
        if (version == null) {
            throw new ModuleRuleException("invalid escaped version " + ModulePath.quote(escaped));
        }
        String problem = ModulePath.fileElementProblem(version);
        if (problem != null) {
            throw new ModuleRuleException("invalid escaped version " + ModulePath.quote(version) + ": " + problem);
        }
        return version;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Input already validated: ASCII without '!'. */
    private static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('!').append((char) (c + ('a' - 'A')));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** {@code null} for raw upper case, non-ASCII, or a '!' not followed by a lower-case ASCII letter. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean bang = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (bang) {
                bang = false;
                if (c < 'a' || c > 'z') {
                    return null;
                }
                out.append((char) (c - ('a' - 'A')));
            } else if (c == '!') {
                bang = true;
            } else if (c >= 'A' && c <= 'Z') {
                return null;
            } else {
                out.append(c);
            }
        }
        return bang ? null : out.toString();
    }
}
