package com.gitblit.plugin.goproxy.gitblit;

/**
 * Repository names and the request paths that may name one. Gitblit resolves a name to a folder under its
 * repositories folder without further checks, so only clean relative paths may ever reach it: elements
 * separated by single slashes, none empty, {@code .} or {@code ..}, and only the characters module paths and
 * Gitblit names have in common ({@code A-Z a-z 0-9 . _ ~ + -}).
 */
final class RepositoryNames {
    private RepositoryNames() {
    }

    static boolean isClean(String path) {
        if (path.isEmpty()) {
            return false;
        }
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String element = path.substring(start, end);
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                return false;
            }
            for (int i = 0; i < element.length(); i++) {
                if (!allowed(element.charAt(i))) {
                    return false;
                }
            }
            if (slash < 0) {
                return true;
            }
            start = slash + 1;
        }
        return false;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '~' || c == '+' || c == '-';
    }

    /** {@code team/lib.git} → {@code team/lib}; names without the suffix unchanged. */
    static String withoutDotGit(String name) {
        return name.endsWith(".git") ? name.substring(0, name.length() - ".git".length()) : name;
    }

    /** The first path element ({@code team} of {@code team/sub/lib.git}); {@code ""} for a top-level name. */
    static String firstElement(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
