package com.gitblit.plugin.goproxy.proxy;

import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One GOPROXY request, parsed from the path below the proxy's base:
 * <pre>
 *   $module/@v/list          LIST
 *   $module/@v/$query.info   INFO    (any query: version, branch, hash prefix)
 *   $module/@v/$version.mod  MOD     (canonical versions only)
 *   $module/@v/$version.zip  ZIP     (canonical versions only)
 *   $module/@latest          LATEST
 *   sumdb/...                SUMDB   (not served: answered 404 so the go command asks the database itself)
 * </pre>
 * The path is percent-decoded first, then {@code !}-decoded: module paths cannot contain {@code @}, so the
 * first {@code /@v/} or a final {@code /@latest} splits the module from the rest, and {@code sumdb/} cannot
 * start a module path (a module path's first element contains a dot).
 */
public final class ProxyRequest {

    public enum Kind { LIST, INFO, MOD, ZIP, LATEST, SUMDB }

    private final Kind kind;
    private final String modulePath;
    private final String version;

    private ProxyRequest(Kind kind, String modulePath, String version) {
        this.kind = kind;
        this.modulePath = modulePath;
        this.version = version;
    }

    public Kind kind() {
        return kind;
    }

    /** The unescaped module path; {@code null} for SUMDB. */
    public String modulePath() {
        return modulePath;
    }

    /** The unescaped version or query for INFO/MOD/ZIP; {@code null} otherwise. */
    public String version() {
        return version;
    }

    /** Parses a raw (still percent-encoded) path below the base, without a leading slash. */
    public static ProxyRequest parse(String rawPath) throws ProxyError {
        String path = percentDecode(rawPath);
        if (path.equals("sumdb") || path.startsWith("sumdb/")) {
            return new ProxyRequest(Kind.SUMDB, null, null);
        }
        int v = path.indexOf("/@v/");
        if (v >= 0) {
            String module = unescapeModule(path.substring(0, v));
            return parseVersionFile(module, path.substring(v + "/@v/".length()));
        }
        if (path.endsWith("/@latest")) {
            String module = unescapeModule(path.substring(0, path.length() - "/@latest".length()));
            return new ProxyRequest(Kind.LATEST, module, null);
        }
        throw ProxyError.notFound("not found: not a module proxy request: " + quote(path));
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
            throw ProxyError.notFound("not found: unknown request " + quote("@v/" + file));
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
        try {
            return ModuleEscaping.unescapePath(escaped);
        } catch (ModuleRuleException e) {
            throw ProxyError.notFound("not found: " + e.getMessage());
        }
    }

    /**
     * Strict percent-decoding of a URL path: {@code %} must start two hex digits and the result must be
     * UTF-8. {@code +} is a literal plus in a path (versions such as {@code v2.0.0+incompatible} use it).
     */
    static String percentDecode(String raw) throws ProxyError {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw ProxyError.notFound("not found: malformed percent-encoding in request path");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        String decoded = com.gitblit.plugin.goproxy.module.Utf8.decodeStrict(bytes.toByteArray());
        if (decoded == null) {
            throw ProxyError.notFound("not found: request path is not valid UTF-8");
        }
        return decoded;
    }

    /** Go's %q for ASCII-safe display of user input in a one-line error. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return kind + " " + modulePath + (version == null ? "" : "@" + version);
    }
}
