package com.gitblit.plugin.goproxy.proxy;

import com.gitblit.plugin.goproxy.module.GoQuote;
import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;

/**
 * One GOPROXY request, parsed from the path below the proxy's base:
 * <pre>
 *   $module/@v/list          LIST
 *   $module/@v/$query.info   INFO    (any query: version, branch, hash prefix)
 *   $module/@v/$version.mod  MOD     (canonical versions only)
 *   $module/@v/$version.zip  ZIP     (canonical versions only)
 *   $module/@latest          LATEST
 *   sumdb/...                SUMDB   (the dependency proxy's pass-through; 404 without it, so the go command
 *                                    asks the database itself)
 * </pre>
 * The path is percent-decoded once, then {@code !}-decoded: module paths cannot contain {@code @}, so the
 * first {@code /@v/} or a final {@code /@latest} splits the module from the rest, and {@code sumdb/} cannot
 * start a module path (a module path's first element contains a dot).
 */
public final class ProxyRequest {

    public enum Kind { LIST, INFO, MOD, ZIP, LATEST, SUMDB }

    private final Kind kind;
    private final String modulePath;
    private final String version;

    private final String sumdbPath;

    private ProxyRequest(Kind kind, String modulePath, String version) {
        this.kind = kind;
        this.modulePath = modulePath;
        this.version = version;
        this.sumdbPath = null;
    }

    private ProxyRequest(String sumdbPath) {
        this.kind = Kind.SUMDB;
        this.modulePath = null;
        this.version = null;
        this.sumdbPath = sumdbPath;
    }

    public Kind kind() {
        return kind;
    }

    /** The unescaped module path; {@code null} for SUMDB. */
    public String modulePath() {
        return modulePath;
    }

    /** For SUMDB: the decoded path below {@code sumdb/} ({@code <name>/<what>}). */
    public String sumdbPath() {
        return sumdbPath;
    }

    /** The unescaped version or query for INFO/MOD/ZIP; {@code null} otherwise. */
    public String version() {
        return version;
    }

    /** Longer module paths are refused before any look-up (x/mod sets no limit; go-proxy-rules 19.8). */
    static final int MAX_MODULE_PATH_LENGTH = 1024;
    /** Deeper module paths are refused before any look-up. */
    static final int MAX_MODULE_PATH_ELEMENTS = 64;

    /**
     * Parses a raw (still percent-encoded) path below the base, without a leading slash. Path parameters
     * ({@code ;x}), encoded slashes and {@code .}, {@code ..} or empty elements are no module proxy request:
     * they answer 404, never a module whose path a client did not spell.
     */
    public static ProxyRequest parse(String rawPath) throws ProxyError {
        if (rawPath.indexOf(';') >= 0) {
            throw ProxyError.notFound("not found: path parameters are not part of the module proxy protocol");
        }
        String path = PercentDecoding.decode(rawPath);
        if (path == null) {
            throw ProxyError.notFound("not found: malformed percent-encoding, encoded slash or invalid UTF-8 in request path");
        }
        if (path.equals("sumdb") || path.startsWith("sumdb/")) {
            return new ProxyRequest(path.length() > "sumdb/".length() ? path.substring("sumdb/".length()) : "");
        }
        checkElements(path);
        int v = path.indexOf("/@v/");
        if (v >= 0) {
            String module = unescapeModule(path.substring(0, v));
            return parseVersionFile(module, path.substring(v + "/@v/".length()));
        }
        if (path.endsWith("/@latest")) {
            String module = unescapeModule(path.substring(0, path.length() - "/@latest".length()));
            return new ProxyRequest(Kind.LATEST, module, null);
        }
        throw ProxyError.notFound("not found: not a module proxy request: " + GoQuote.quote(path));
    }

    private static void checkElements(String path) throws ProxyError {
        if (path.length() > MAX_MODULE_PATH_LENGTH + 256) {
            throw ProxyError.notFound("not found: module path too long");
        }
        int elements = 0;
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String element = path.substring(start, end);
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                throw ProxyError.notFound("not found: empty, \".\" or \"..\" element in request path");
            }
            if (++elements > MAX_MODULE_PATH_ELEMENTS + 2) {
                throw ProxyError.notFound("not found: module path too deep");
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
    }

    private static ProxyRequest parseVersionFile(String module, String file) throws ProxyError {
        if (file.equals("list")) {
            return new ProxyRequest(Kind.LIST, module, null);
        }
        Kind kind;
        if (file.endsWith(".info")) {
            kind = Kind.INFO;
        } else if (file.endsWith(".mod")) {
            kind = Kind.MOD;
        } else if (file.endsWith(".zip")) {
            kind = Kind.ZIP;
        } else {
            throw ProxyError.notFound("not found: unknown request " + GoQuote.quote("@v/" + file));
        }
        String escaped = file.substring(0, file.lastIndexOf('.'));
        String version;
        try {
            version = ModuleEscaping.unescapeVersion(escaped);
        } catch (ModuleRuleException e) {
            throw ProxyError.notFound("not found: " + e.getMessage());
        }
        if (kind != Kind.INFO && !version.equals(ModuleVersion.canonical(version))) {
            // The go command only ever asks for .mod/.zip of a version it already resolved.
            throw ProxyError.notFound("not found: " + module + "@" + version + ": invalid version: not a canonical version");
        }
        return new ProxyRequest(kind, module, version);
    }

    private static String unescapeModule(String escaped) throws ProxyError {
        if (escaped.length() > MAX_MODULE_PATH_LENGTH) {
            throw ProxyError.notFound("not found: module path too long");
        }
        try {
            return ModuleEscaping.unescapePath(escaped);
        } catch (ModuleRuleException e) {
            throw ProxyError.notFound("not found: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return kind + " " + modulePath + (version == null ? "" : "@" + version);
    }
}
