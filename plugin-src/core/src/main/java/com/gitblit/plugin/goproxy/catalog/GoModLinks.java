package com.gitblit.plugin.goproxy.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Turns a go.mod into lines of text and links, where every module path is a link decided by its namespace
 * only, never by whether the module exists (which would tell a viewer about modules they may not see):
 * <ul>
 *   <li>a path in this forge's namespace links to the host's page for that path, which answers like any page
 *       for a module the viewer cannot see when it is absent or hidden;</li>
 *   <li>any other path links to the documentation site ({@code docsSiteUrl + "/" + path}), or to nothing when
 *       no site is configured;</li>
 *   <li>the target of a {@code replace} that is a directory ({@code ./x}, {@code ../x}, {@code /x}) stays
 *       text.</li>
 * </ul>
 * Module paths sit in {@code module}, {@code require}, {@code exclude} and {@code replace} (both sides);
 * comments and every other token stay text.
 */
public final class GoModLinks {

    /** Where a module path in this forge's namespace leads: the host's page URL for it. */
    public interface LocalPages {
        String urlOf(String modulePath);
    }

    /** A run of go.mod text, a link when {@link #href()} is not null. */
    public static final class Segment {
        private final String text;
        private final String href;

        Segment(String text, String href) {
            this.text = text;
            this.href = href;
        }

        public String text() {
            return text;
        }

        public String href() {
            return href;
        }
    }

    /** One go.mod line. */
    public static final class Line {
        private final List<Segment> segments;

        Line(List<Segment> segments) {
            this.segments = Collections.unmodifiableList(segments);
        }

        public List<Segment> segments() {
            return segments;
        }
    }

    private final String namespace;
    private final LocalPages local;
    private final String docsSite;

    /**
     * @param namespace the module path prefix this forge owns ({@code ""}: every path)
     * @param docsSiteUrl e.g. {@code https://pkg.go.dev}; empty or null for no links outside the namespace
     */
    public GoModLinks(String namespace, LocalPages local, String docsSiteUrl) {
        this.namespace = namespace == null ? "" : namespace;
        this.local = local;
        String site = docsSiteUrl == null ? "" : docsSiteUrl.trim();
        this.docsSite = site.endsWith("/") ? site.substring(0, site.length() - 1) : site;
    }

    /** The link target for a module path, or {@code null} for none. */
    public String targetOf(String modulePath) {
        if (namespace.isEmpty() || modulePath.equals(namespace) || modulePath.startsWith(namespace + "/")) {
            return local.urlOf(modulePath);
        }
        return docsSite.isEmpty() ? null : docsSite + "/" + modulePath;
    }

    public List<Line> render(byte[] goMod) {
        String text = new String(goMod, StandardCharsets.UTF_8);
        List<Line> out = new ArrayList<>();
        String block = null;
        for (String raw : text.split("\n", -1)) {
            int comment = raw.indexOf("//");
            String code = comment < 0 ? raw : raw.substring(0, comment);
            List<Segment> segs = new ArrayList<>();
            List<int[]> tokens = tokens(code);
            String first = tokens.isEmpty() ? "" : token(code, tokens.get(0));
            String verb;
            int start;
            if (block != null) {
                verb = block;
                start = 0;
                if (first.equals(")")) {
                    block = null;
                    verb = null;
                }
            } else {
                verb = first.toLowerCase(Locale.ROOT);
                start = 1;
                if (tokens.size() >= 2 && token(code, tokens.get(1)).equals("(")) {
                    block = verb;
                    verb = null;
                }
            }
            boolean[] isPath = new boolean[tokens.size()];
            if (verb != null) {
                markPaths(code, tokens, verb, start, isPath);
            }
            int at = 0;
            for (int i = 0; i < tokens.size(); i++) {
                int[] t = tokens.get(i);
                if (!isPath[i]) {
                    continue;
                }
                if (t[0] > at) {
                    segs.add(new Segment(code.substring(at, t[0]), null));
                }
                String tok = code.substring(t[0], t[1]);
                segs.add(new Segment(tok, targetOf(unquote(tok))));
                at = t[1];
            }
            if (at < raw.length()) {
                segs.add(new Segment(raw.substring(at), null));
            }
            out.add(new Line(segs));
        }
        if (!out.isEmpty() && out.get(out.size() - 1).segments().isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static void markPaths(String code, List<int[]> tokens, String verb, int start, boolean[] isPath) {
        if (tokens.size() <= start) {
            return;
        }
        switch (verb) {
            case "module":
            case "require":
            case "exclude":
                isPath[start] = true;
                break;
            case "replace":
                isPath[start] = true;
                for (int i = start + 1; i + 1 < tokens.size(); i++) {
                    if (token(code, tokens.get(i)).equals("=>")) {
                        String target = unquote(token(code, tokens.get(i + 1)));
                        isPath[i + 1] = !isDirectory(target);
                        break;
                    }
                }
                break;
            default:
                break;
        }
    }

    /** modfile's rule: a replacement is a directory when it is a path starting with ./, ../ or /. */
    private static boolean isDirectory(String target) {
        return target.startsWith("./") || target.startsWith("../") || target.startsWith("/")
                || target.equals(".") || target.equals("..") || target.startsWith(".\\") || target.startsWith("..\\")
                || target.length() > 1 && target.charAt(1) == ':';
    }

    private static String unquote(String tok) {
        if (tok.length() >= 2 && (tok.charAt(0) == '"' || tok.charAt(0) == '`')
                && tok.charAt(tok.length() - 1) == tok.charAt(0)) {
            return tok.substring(1, tok.length() - 1);
        }
        return tok;
    }

    private static String token(String code, int[] t) {
        return code.substring(t[0], t[1]);
    }

    private static List<int[]> tokens(String code) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < code.length()) {
            while (i < code.length() && Character.isWhitespace(code.charAt(i))) {
                i++;
            }
            if (i >= code.length()) {
                break;
            }
            int s = i;
            while (i < code.length() && !Character.isWhitespace(code.charAt(i))) {
                i++;
            }
            out.add(new int[] {s, i});
        }
        return out;
    }
}
