package com.gitblit.plugin.goproxy.module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * x/mod modfile's lax reading of a dependency's go.mod: of all directives only {@code module}, {@code go},
 * {@code require} and {@code retract} are read, each checked as x/mod checks it; blocks of any other verb are
 * skipped; malformed {@code retract} intervals are ignored (a newer go may write syntax an older one cannot read).
 */
final class GoModReader {
    private static final Pattern GO_VERSION = Pattern.compile("^([1-9][0-9]*)\\.(0|[1-9][0-9]*)$");
    private static final Pattern LAX_GO_VERSION =
            Pattern.compile("^v?(([1-9][0-9]*)\\.(0|[1-9][0-9]*))([^0-9].*)$", Pattern.DOTALL);

    private GoModReader() {
    }

    static GoModFile parseLax(byte[] data) throws ModuleRuleException {
        GoModSyntax syntax = GoModSyntax.parse(decodeLikeGo(data));
        State st = new State();
        for (Object stmt : syntax.statements) {
            if (stmt instanceof GoModSyntax.Line) {
                GoModSyntax.Line l = (GoModSyntax.Line) stmt;
                add(st, null, l, l.tokens.get(0), l.tokens.subList(1, l.tokens.size()));
            } else {
                GoModSyntax.Block b = (GoModSyntax.Block) stmt;
                if (b.tokens.size() > 1) {
                    continue;
                }
                String verb = b.tokens.get(0);
                if (verb.equals("module") || verb.equals("require") || verb.equals("exclude")
                        || verb.equals("replace") || verb.equals("retract")) {
                    for (GoModSyntax.Line l : b.lines) {
                        add(st, b, l, verb, l.tokens);
                    }
                }
            }
        }
        if (st.firstError != null) {
            throw st.firstError;
        }
        return new GoModFile(st.modulePath, st.goVersion, st.retractions);
    }

    private static final class State {
        boolean sawModule;
        String modulePath;
        String goVersion;
        boolean sawGo;
        final List<Retraction> retractions = new ArrayList<>();
        ModuleRuleException firstError;

        void error(int line, String message) {
            if (firstError == null) {
                firstError = GoModSyntax.error(line, message);
            }
        }
    }

    private static void add(State st, GoModSyntax.Block block, GoModSyntax.Line line, String verb, List<String> args) {
        switch (verb) {
            case "go":
                if (st.sawGo) {
                    st.error(line.lineNumber, "repeated go statement");
                    return;
                }
                if (args.size() != 1) {
                    st.error(line.lineNumber, "go directive expects exactly one argument");
                    return;
                }
                String v = args.get(0);
                if (!GO_VERSION.matcher(v).matches()) {
                    Matcher m = LAX_GO_VERSION.matcher(v);
                    if (!m.matches()) {
                        st.error(line.lineNumber, "invalid go version '" + v + "': must match format 1.23");
                        return;
                    }
                    v = m.group(1);
                }
                st.sawGo = true;
                st.goVersion = v;
                return;
            case "module":
                if (st.sawModule) {
                    st.error(line.lineNumber, "repeated module statement");
                    return;
                }
                st.sawModule = true;
                if (args.size() != 1) {
                    st.error(line.lineNumber, "usage: module module/path");
                    return;
                }
                try {
                    st.modulePath = parseString(args.get(0));
                } catch (ModuleRuleException e) {
                    st.error(line.lineNumber, "invalid quoted string: " + e.getMessage());
                }
                return;
            case "require":
                require(st, line, args);
                return;
            case "retract":
                retract(st, block, line, args);
                return;
            default:
                // exclude, replace and unknown directives are main-module business: ignored here.
        }
    }

    private static void require(State st, GoModSyntax.Line line, List<String> args) {
        if (args.size() != 2) {
            st.error(line.lineNumber, "usage: require module/path v1.2.3");
            return;
        }
        String path;
        try {
            path = parseString(args.get(0));
        } catch (ModuleRuleException e) {
            st.error(line.lineNumber, "invalid quoted string: " + e.getMessage());
            return;
        }
        String raw;
        try {
            raw = parseString(args.get(1));
        } catch (ModuleRuleException e) {
            st.error(line.lineNumber, "require " + path + ": version " + ModulePath.quote(args.get(1))
                    + " invalid: " + e.getMessage());
            return;
        }
        String v = ModuleVersion.canonical(raw);
        if (v.isEmpty()) {
            st.error(line.lineNumber, "require " + path + ": version " + ModulePath.quote(raw)
                    + " invalid: must be of the form v1.2.3");
            return;
        }
        PathVersion pv = ModulePath.splitPathVersion(path);
        if (pv == null) {
            st.error(line.lineNumber, "invalid module path");
            return;
        }
        try {
            ModulePath.checkPathMajor(v, pv.pathMajor());
        } catch (ModuleRuleException e) {
            st.error(line.lineNumber, "require " + path + ": " + e.getMessage());
        }
    }

    private static void retract(State st, GoModSyntax.Block block, GoModSyntax.Line line, List<String> args) {
        String low;
        String high;
        try {
            if (args.isEmpty() || args.get(0).equals("(")) {
                return;
            }
            if (!args.get(0).equals("[")) {
                low = parseString(args.get(0));
                high = low;
            } else {
                if (args.size() < 5 || !args.get(2).equals(",") || !args.get(4).equals("]")) {
                    return;
                }
                low = parseString(args.get(1));
                high = parseString(args.get(3));
            }
        } catch (ModuleRuleException e) {
            return;
        }
        st.retractions.add(new Retraction(low, high, rationale(block, line)));
    }

    private static String rationale(GoModSyntax.Block block, GoModSyntax.Line line) {
        List<String> before = line.commentsBefore;
        String suffix = line.suffixComment;
        if (block != null && before.isEmpty() && suffix == null) {
            before = block.commentsBefore;
            suffix = block.suffixComment;
        }
        StringBuilder out = new StringBuilder();
        List<String> all = new ArrayList<>(before);
        if (suffix != null) {
            all.add(suffix);
        }
        for (String c : all) {
            if (!c.startsWith("//")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(trimSpace(c.substring(2)));
        }
        return out.toString();
    }

    /** x/mod parseString: a quoted token is unquoted as Go unquotes it; a bare one must not contain quotes. */
    static String parseString(String token) throws ModuleRuleException {
        if (token.startsWith("\"")) {
            return GoQuote.unquote(token);
        }
        if (token.indexOf('"') >= 0 || token.indexOf('\'') >= 0 || token.indexOf('`') >= 0) {
            throw new ModuleRuleException("unquoted string cannot contain quote");
        }
        return token;
    }

    /** x/mod modfile.ModulePath: the first {@code module} line's path, "" when there is none or it is malformed. */
    static String modulePathOf(byte[] data) {
        String text = decodeLikeGo(data);
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf("//");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = trimSpace(line);
            if (!line.startsWith("module")) {
                continue;
            }
            String rest = line.substring("module".length());
            String trimmed = trimSpace(rest);
            if (trimmed.length() == rest.length() || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.charAt(0) == '"' || trimmed.charAt(0) == '`') {
                try {
                    return GoQuote.unquote(trimmed);
                } catch (ModuleRuleException e) {
                    return "";
                }
            }
            return trimmed;
        }
        return "";
    }

    /** x/mod MustQuote/AutoQuote. */
    static String autoQuote(String s) {
        boolean must = s.isEmpty() || s.contains("//") || s.contains("/*");
        for (int i = 0; i < s.length() && !must; ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case ' ':
                case '"':
                case '\'':
                case '`':
                    must = true;
                    break;
                case '(':
                case ')':
                case '[':
                case ']':
                case '{':
                case '}':
                case ',':
                    must = s.length() > 1;
                    break;
                default:
                    must = !UnicodeClass.isPrint(c);
            }
        }
        return must ? GoQuote.quote(s) : s;
    }

    /** Go's bytes.TrimSpace over Unicode white space. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && UnicodeClass.isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && UnicodeClass.isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Invalid UTF-8 reads as U+FFFD, as Go's decoder reads it; such a rune never makes a valid path. */
    static String decodeLikeGo(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
