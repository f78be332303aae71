package com.gitblit.plugin.goproxy.module;

/**
 * Validity of module paths, import paths and file paths, and major-version suffixes, as x/mod's
 * {@code module} package decides them (CheckPath, CheckImportPath, CheckFilePath, SplitPathVersion,
 * CheckPathMajor, MatchPathMajor, PathMajorPrefix).
 */
public final class ModulePath {
    private ModulePath() {
    }

    /** Module path rules (section 6.1 of the rules digest); throws with x/mod's message when invalid. */
    public static void checkPath(String path) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Import path rules (x/mod CheckImportPath). */
    public static void checkImportPath(String path) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** File path rules for files inside a module zip (x/mod CheckFilePath). */
    public static void checkFilePath(String path) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod SplitPathVersion; {@code null} where Go returns ok == false. */
    public static PathVersion splitPathVersion(String path) {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod CheckPathMajor: is version {@code v} allowed for a path whose suffix is {@code pathMajor}? */
    public static void checkPathMajor(String v, String pathMajor) throws ModuleRuleException {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod MatchPathMajor. */
    public static boolean matchPathMajor(String v, String pathMajor) {
        throw new UnsupportedOperationException("TODO");
    }

    /** x/mod PathMajorPrefix: {@code "/v2"} → {@code "v2"}, {@code ".v1-unstable"} → {@code "v1"}, {@code ""} → {@code ""}. */
    public static String pathMajorPrefix(String pathMajor) {
        throw new UnsupportedOperationException("TODO");
    }
}
