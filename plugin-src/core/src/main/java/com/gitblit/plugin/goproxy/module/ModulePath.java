package com.gitblit.plugin.goproxy.module;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Validity of module paths, import paths and file paths, and major-version suffixes, as x/mod's
 * {@code module} package decides them (CheckPath, CheckImportPath, CheckFilePath, SplitPathVersion,
 * CheckPathMajor, MatchPathMajor, PathMajorPrefix).
 *
 * <p>Module and import paths are ASCII only; file names also admit any Unicode letter (Go's table, not the
 * JVM's) and a few punctuation characters. Every kind rejects empty, all-dot and trailing-dot elements and the
 * reserved Windows device names as the part of an element before its first dot.
 */
public final class ModulePath {
    private enum Kind { MODULE, IMPORT, FILE }

    private static final List<String> WINDOWS_RESERVED = Arrays.asList("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");
    private static final String FILE_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";

    private ModulePath() {
    }

    /** Module path rules (section 6.1 of the rules digest); throws with x/mod's message when invalid. */
    public static void checkPath(String path) throws ModuleRuleException {
        String problem = pathProblem(path, Kind.MODULE);
        if (problem == null) {
            int slash = path.indexOf('/');
            String first = slash < 0 ? path : path.substring(0, slash);
            if (slash == 0) {
                problem = "leading slash";
            } else if (first.indexOf('.') < 0) {
                problem = "missing dot in first path element";
            } else if (path.charAt(0) == '-') {
                problem = "leading dash in first path element";
            } else {
                for (int i = 0; i < first.length() && problem == null; i++) {
                    char c = first.charAt(i);
                    if (!(c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z')) {
                        problem = "invalid char " + quoteRune(c) + " in first path element";
                    }
                }
                if (problem == null && splitPathVersion(path) == null) {
                    problem = "invalid version";
                }
            }
        }
        if (problem != null) {
            throw new ModuleRuleException("malformed module path " + quote(path) + ": " + problem);
        }
    }

    /** Import path rules: module path characters plus {@code +}, no first-element constraints. */
    public static void checkImportPath(String path) throws ModuleRuleException {
        String problem = pathProblem(path, Kind.IMPORT);
        if (problem != null) {
            throw new ModuleRuleException("malformed import path " + quote(path) + ": " + problem);
        }
    }

    /** File path rules for names inside a module zip. */
    public static void checkFilePath(String path) throws ModuleRuleException {
        String problem = pathProblem(path, Kind.FILE);
        if (problem != null) {
            throw new ModuleRuleException("malformed file path " + quote(path) + ": " + problem);
        }
    }

    /** Whether one element is valid as a file name element (the rule EscapeVersion applies to versions). */
    static String fileElementProblem(String elem) {
        return elementProblem(elem, Kind.FILE);
    }

    /**
     * Splits off the major-version suffix; {@code null} when the path has a malformed one ({@code /v1},
     * {@code /v0}, {@code /v2.1}, {@code gopkg.in/x} without {@code .vN}).
     */
    public static PathVersion splitPathVersion(String path) {
        if (path.startsWith("gopkg.in/")) {
            return splitGopkgIn(path);
        }
        int i = path.length();
        boolean dot = false;
        while (i > 0 && (isDigit(path.charAt(i - 1)) || path.charAt(i - 1) == '.')) {
            if (path.charAt(i - 1) == '.') {
                dot = true;
            }
            i--;
        }
        if (i <= 1 || i == path.length() || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '/') {
            return new PathVersion(path, "");
        }
        String pathMajor = path.substring(i - 2);
        if (dot || pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' || pathMajor.equals("/v1")) {
            return null;
        }
        return new PathVersion(path.substring(0, i - 2), pathMajor);
    }

    private static PathVersion splitGopkgIn(String path) {
        int i = path.length();
        if (path.endsWith("-unstable")) {
            i -= "-unstable".length();
        }
        while (i > 0 && isDigit(path.charAt(i - 1))) {
            i--;
        }
        if (i <= 1 || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '.') {
            return null;
        }
        String pathMajor = path.substring(i - 2);
        if (pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' && !pathMajor.equals(".v0")) {
            return null;
        }
        return new PathVersion(path.substring(0, i - 2), pathMajor);
    }

    /** Whether version {@code v} may be used with a module path whose suffix is {@code pathMajor}. */
    public static void checkPathMajor(String v, String pathMajor) throws ModuleRuleException {
        String pm = pathMajor;
        if (pm.startsWith(".v") && pm.endsWith("-unstable")) {
            pm = pm.substring(0, pm.length() - "-unstable".length());
        }
        if (v.startsWith("v0.0.0-") && pm.equals(".v1")) {
            return;
        }
        String m = SemVer.major(v);
        String want;
        if (pm.isEmpty()) {
            if (m.equals("v0") || m.equals("v1") || SemVer.build(v).equals("+incompatible")) {
                return;
            }
            want = "v0 or v1";
        } else if (pm.charAt(0) == '/' || pm.charAt(0) == '.') {
            if (m.equals(pm.substring(1))) {
                return;
            }
            want = pm.substring(1);
        } else {
            want = pm;
        }
        throw new ModuleRuleException(v + ": invalid version: should be " + want + ", not " + m);
    }

    public static boolean matchPathMajor(String v, String pathMajor) {
        try {
            checkPathMajor(v, pathMajor);
            return true;
        } catch (ModuleRuleException e) {
            return false;
        }
    }

    /** The major version a suffix requires ({@code /v2} → {@code v2}, {@code .v1-unstable} → {@code v1}); "" for none. */
    public static String pathMajorPrefix(String pathMajor) {
        if (pathMajor.isEmpty()) {
            return "";
        }
        if (pathMajor.charAt(0) != '/' && pathMajor.charAt(0) != '.') {
            throw new IllegalArgumentException("major-version suffix without separator: " + pathMajor);
        }
        String pm = pathMajor;
        if (pm.startsWith(".v") && pm.endsWith("-unstable")) {
            pm = pm.substring(0, pm.length() - "-unstable".length());
        }
        String m = pm.substring(1);
        if (!m.equals(SemVer.major(m))) {
            throw new IllegalArgumentException("not a major-version suffix: " + pathMajor);
        }
        return m;
    }

    private static String pathProblem(String path, Kind kind) {
        if (!isValidUtf16(path)) {
            return "invalid UTF-8";
        }
        if (path.isEmpty()) {
            return "empty string";
        }
        if (path.charAt(0) == '-' && kind != Kind.FILE) {
            return "leading dash";
        }
        if (path.contains("//")) {
            return "double slash";
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "trailing slash";
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            String elem = slash < 0 ? path.substring(start) : path.substring(start, slash);
            String problem = elementProblem(elem, kind);
            if (problem != null || slash < 0) {
                return problem;
            }
            start = slash + 1;
        }
    }

    private static String elementProblem(String elem, Kind kind) {
        if (elem.isEmpty()) {
            return "empty path element";
        }
        boolean allDots = true;
        for (int i = 0; i < elem.length() && allDots; i++) {
            allDots = elem.charAt(i) == '.';
        }
        if (allDots) {
            return "invalid path element " + quote(elem);
        }
        if (elem.charAt(0) == '.' && kind == Kind.MODULE) {
            return "leading dot in path element";
        }
        if (elem.charAt(elem.length() - 1) == '.') {
            return "trailing dot in path element";
        }
        for (int i = 0; i < elem.length(); ) {
            int cp = elem.codePointAt(i);
            i += Character.charCount(cp);
            if (!allowed(cp, kind)) {
                return "invalid char " + quoteRune(cp);
            }
        }
        int dot = elem.indexOf('.');
        String shortName = dot < 0 ? elem : elem.substring(0, dot);
        for (String bad : WINDOWS_RESERVED) {
            // Only ASCII letters can match these names, so ASCII case-insensitivity is Go's EqualFold here.
            if (bad.equalsIgnoreCase(shortName) && isAscii(shortName)) {
                return quote(shortName) + " disallowed as path element component on Windows";
            }
        }
        if (kind == Kind.FILE) {
            return null;
        }
        int tilde = shortName.lastIndexOf('~');
        if (tilde >= 0 && tilde < shortName.length() - 1) {
            boolean digits = true;
            for (int i = tilde + 1; i < shortName.length() && digits; i++) {
                digits = isDigit(shortName.charAt(i));
            }
            if (digits) {
                return "trailing tilde and digits in path element";
            }
        }
        return null;
    }

    private static boolean allowed(int cp, Kind kind) {
        if (cp < 0x80) {
            boolean alnum = cp >= '0' && cp <= '9' || cp >= 'A' && cp <= 'Z' || cp >= 'a' && cp <= 'z';
            switch (kind) {
                case MODULE:
                    return alnum || cp == '-' || cp == '.' || cp == '_' || cp == '~';
                case IMPORT:
                    return alnum || cp == '-' || cp == '.' || cp == '_' || cp == '~' || cp == '+';
                default:
                    return alnum || FILE_PUNCTUATION.indexOf(cp) >= 0;
            }
        }
        return kind == Kind.FILE && UnicodeClass.isLetter(cp);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A Java string holds valid UTF-8 text iff it has no unpaired surrogate. */
    static boolean isValidUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static String quote(String s) {
        return GoQuote.quote(s);
    }

    static String quoteRune(int cp) {
        if (cp == '\'' || cp == '\\') {
            return "'\\" + (char) cp + "'";
        }
        if (cp < 0x20 || cp == 0x7f) {
            return String.format(Locale.ROOT, "'\\x%02x'", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }
}
