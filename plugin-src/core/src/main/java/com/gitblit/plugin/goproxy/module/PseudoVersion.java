package com.gitblit.plugin.goproxy.module;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * Pseudo-versions (x/mod module/pseudo.go): {@code vX.0.0-yyyymmddhhmmss-abcdefabcdef},
 * {@code vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef}, {@code vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef},
 * each optionally followed by build metadata such as {@code +incompatible}.
 */
public final class PseudoVersion {
    private static final Pattern SHAPE = Pattern.compile(
            "^v[0-9]+\\.(0\\.0-|\\d+\\.\\d+-([^+]*\\.)?0\\.)\\d{14}-[A-Za-z0-9]+(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");
    /** Go's reference layout 20060102150405, strict so that month 13 or second 60 is rejected as Go rejects it. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

    private PseudoVersion() {
    }

    /** x/mod IsPseudoVersion. */
    public static boolean isPseudoVersion(String v) {
        return countDashes(v) >= 2 && SemVer.isValid(v) && SHAPE.matcher(v).matches();
    }

    /** x/mod IsZeroPseudoVersion. */
    public static boolean isZeroPseudoVersion(String v) {
        return v.equals(zero(SemVer.major(v)));
    }

    /**
     * x/mod PseudoVersion(major, older, t, rev): {@code major} is {@code "v0"}, {@code "v2"}, ... ({@code ""}
     * means v0); {@code older} is the base tag's version or {@code ""}; {@code time} is the commit time
     * (formatted in UTC); {@code rev} the 12-digit short commit id.
     */
    public static String build(String major, String older, Instant time, String rev) {
        String m = major.isEmpty() ? "v0" : major;
        String segment = TIMESTAMP.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC)) + "-" + rev;
        String build = SemVer.build(older);
        String base = SemVer.canonical(older);
        if (base.isEmpty()) {
            return m + ".0.0-" + segment;
        }
        if (!SemVer.prerelease(base).isEmpty()) {
            return base + ".0." + segment + build;
        }
        int i = base.lastIndexOf('.') + 1;
        return base.substring(0, i) + incrementDecimal(base.substring(i)) + "-0." + segment + build;
    }

    /** x/mod ZeroPseudoVersion: base v{major}.0.0, time 0001-01-01T00:00:00Z, revision 000000000000. */
    public static String zero(String major) {
        return (major.isEmpty() ? "v0" : major) + ".0.0-00010101000000-000000000000";
    }

    /** x/mod PseudoVersionBase: the base version, {@code ""} for the no-base form. */
    public static String base(String v) throws ModuleRuleException {
        Parts p = parse(v);
        String base = p.base;
        String pre = SemVer.prerelease(base);
        if (pre.isEmpty()) {
            if (!p.build.isEmpty()) {
                throw invalid(v, "lacks base version, but has build metadata \"" + p.build + "\"");
            }
            return "";
        }
        if (pre.equals("-0")) {
            base = base.substring(0, base.length() - pre.length());
            int i = base.lastIndexOf('.');
            String patch = decrementDecimal(base.substring(i + 1));
            if (patch == null) {
                throw invalid(v, "cannot decrement \"" + base.substring(i + 1) + "\"");
            }
            base = base.substring(0, i + 1) + patch;
        } else {
            base = base.substring(0, base.length() - ".0".length());
        }
        return base + p.build;
    }

    /** x/mod PseudoVersionTime: the commit time encoded in the version. */
    public static Instant time(String v) throws ModuleRuleException {
        Parts p = parse(v);
        try {
            return LocalDateTime.parse(p.timestamp, TIMESTAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid(v, "malformed time \"" + p.timestamp + "\"");
        }
    }

    /** x/mod PseudoVersionRev: the revision identifier (the short commit id). */
    public static String rev(String v) throws ModuleRuleException {
        return parse(v).rev;
    }

    /** The 14-digit timestamp as written in the version. */
    public static String timestamp(String v) throws ModuleRuleException {
        return parse(v).timestamp;
    }

    private static final class Parts {
        String base;
        String timestamp;
        String rev;
        String build;
    }

    private static Parts parse(String v) throws ModuleRuleException {
        if (!isPseudoVersion(v)) {
            throw invalid(v, "syntax error");
        }
        Parts p = new Parts();
        p.build = SemVer.build(v);
        String rest = v.substring(0, v.length() - p.build.length());
        int j = rest.lastIndexOf('-');
        p.rev = rest.substring(j + 1);
        rest = rest.substring(0, j);
        int i = rest.lastIndexOf('-');
        int dot = rest.lastIndexOf('.');
        if (dot > i) {
            p.base = rest.substring(0, dot);
            p.timestamp = rest.substring(dot + 1);
        } else {
            p.base = rest.substring(0, i);
            p.timestamp = rest.substring(i + 1);
        }
        return p;
    }

    private static ModuleRuleException invalid(String v, String why) {
        return new ModuleRuleException("malformed pseudo-version " + ModulePath.quote(v) + ": " + why);
    }

    private static int countDashes(String v) {
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == '-') {
                n++;
            }
        }
        return n;
    }

    static String incrementDecimal(String decimal) {
        char[] d = decimal.toCharArray();
        int i = d.length - 1;
        while (i >= 0 && d[i] == '9') {
            d[i] = '0';
            i--;
        }
        if (i >= 0) {
            d[i]++;
            return new String(d);
        }
        return "1" + new String(d);
    }

    /** {@code null} for "0" (or all zeros): nothing to decrement. */
    static String decrementDecimal(String decimal) {
        char[] d = decimal.toCharArray();
        int i = d.length - 1;
        while (i >= 0 && d[i] == '0') {
            d[i] = '9';
            i--;
        }
        if (i < 0) {
            return null;
        }
        if (i == 0 && d[0] == '1' && d.length > 1) {
            return new String(d, 1, d.length - 1);
        }
        d[i]--;
        return new String(d);
    }
}
