package com.gitblit.plugin.goproxy.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The module rules against golang.org/x/mod itself: thousands of generated inputs (fixed seeds) go through
 * the Go oracle ({@code test-fixtures/oracle}) and through the Java code; every decision must agree.
 */
@RequiresGo
class ModuleRulesDifferentialTest {
    private static GoOracle oracle;

    @BeforeAll
    static void buildOracle() {
        oracle = GoOracle.build("oracle");
    }

    private static final String[] PIECES = {
        "a", "b", "z", "go", "lib", "example", "com", "org", "x", "X", "Upper", "MiXed", "0", "1", "9", "42",
        "v", "v0", "v1", "v2", "v3", "v10", "v02", "v1.2", ".v1", ".v2", ".v0", "-unstable", ".", "..", "...", "-", "_",
        "~", "~1", "~a", "+", "!", "!a", "!!", "@", "#", "$", "%", "&", "(", ")", "[", "]", "{", "}", "^", "=", ",",
        " ", "\t", ":", ";", "'", "\"", "`", "\\", "*", "?", "<", ">", "|", "CON", "con", "Aux", "NUL", "COM1", "lpt9",
        "com0", "PRN.txt", "é", "ß", "İ", "ı", "K", "Ω", "Σ", "ς", "σ", "Ж", "ж", "中", "文", "ك", "ह", "ि",
        "\u0301", "😀", "𝐀", "ǅ", "ǆ", "ﬀ", "\u00a0", "\u2028", "\u200b", "\u0000", "\u007f", "\ufffd", "Ⅻ", "²",
        "gopkg.in", "github.com", "golang.org", "x.y", "127.0.0.1", "xn--80ak6aa92e.com",
    };

    private static String randomPath(Random r) {
        int elems = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int e = 0; e < elems; e++) {
            if (e > 0) {
                sb.append(r.nextInt(25) == 0 ? "//" : "/");
            }
            int parts = 1 + r.nextInt(3);
            for (int p = 0; p < parts; p++) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
        }
        if (r.nextInt(20) == 0) {
            sb.append('/');
        }
        if (r.nextInt(20) == 0) {
            sb.insert(0, r.nextBoolean() ? "-" : "/");
        }
        return sb.toString();
    }

    private static final String[] NUMS = {"0", "1", "2", "9", "10", "01", "00", "123", "99999999999999999999", ""};
    private static final String[] IDENTS = {"alpha", "beta", "rc", "0", "1", "01", "x-y", "-", "", "A", "pre", "11",
        "incompatible", "build", "001", "é", "a_b"};

    private static String randomVersion(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return randomPseudo(r);
            case 1:
                return PIECES[r.nextInt(PIECES.length)];
            default:
        }
        StringBuilder sb = new StringBuilder(r.nextInt(15) == 0 ? "V" : r.nextInt(30) == 0 ? "" : "v");
        sb.append(NUMS[r.nextInt(NUMS.length)]);
        int dots = r.nextInt(4);
        if (dots >= 1) {
            sb.append('.').append(NUMS[r.nextInt(NUMS.length)]);
        }
        if (dots >= 2) {
            sb.append('.').append(NUMS[r.nextInt(NUMS.length)]);
        }
        if (r.nextInt(3) == 0) {
            sb.append('-').append(idents(r));
        }
        if (r.nextInt(4) == 0) {
            sb.append('+').append(r.nextBoolean() ? "incompatible" : idents(r));
        }
        return sb.toString();
    }

    private static String idents(Random r) {
        int n = 1 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(IDENTS[r.nextInt(IDENTS.length)]);
        }
        return sb.toString();
    }

    private static String randomPseudo(Random r) {
        String[] bases = {"v0.0.0-", "v1.2.4-0.", "v2.0.0-rc.1.0.", "v1.0.0-0.", "v0.0.0-0.", "v3.0.0-", "v1.2.3-pre.0.",
            "v1.2.3-", "v0.0.1-0.", "v1.0.0-beta.0.", "v10.0.0-"};
        String[] stamps = {"20240102030405", "00010101000000", "20241301000000", "20240230000000", "2024010203040",
            "20240102030460", "19991231235959", "20240102240000"};
        String[] revs = {"abcdefabcdef", "000000000000", "ABCDEF123456", "abc", "0123456789abcdef0123", "g12345678901", ""};
        String[] builds = {"", "", "", "+incompatible", "+build.1", "+"};
        return bases[r.nextInt(bases.length)] + stamps[r.nextInt(stamps.length)] + "-" + revs[r.nextInt(revs.length)]
                + builds[r.nextInt(builds.length)];
    }

    @Test
    void pathsAgree() {
        Random r = new Random(20261124);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            inputs.add(randomPath(r));
        }
        inputs.add("gopkg.in/yaml.v2");
        inputs.add("gopkg.in/yaml.v0");
        inputs.add("gopkg.in/check.v1-unstable");
        inputs.add("example.com/a/v2");
        compare("checkPath", inputs, p -> verdict(() -> ModulePath.checkPath(p)));
        compare("checkImportPath", inputs, p -> verdict(() -> ModulePath.checkImportPath(p)));
        compare("checkFilePath", inputs, p -> verdict(() -> ModulePath.checkFilePath(p)));
        compare("splitPathVersion", inputs, p -> {
            PathVersion pv = ModulePath.splitPathVersion(p);
            return pv == null ? "false|" + p + "|" : "true|" + pv.prefix() + "|" + pv.pathMajor();
        });
        compare("escapePath", inputs, p -> {
            try {
                return "OK|" + ModuleEscaping.escapePath(p);
            } catch (ModuleRuleException e) {
                return "ERR|";
            }
        });
        compare("unescapePath", inputs, p -> {
            try {
                return "OK|" + ModuleEscaping.unescapePath(p);
            } catch (ModuleRuleException e) {
                return "ERR|";
            }
        });
        compare("fold", inputs, CaseFold::fold);
    }

    @Test
    void versionsAgree() {
        Random r = new Random(42);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            inputs.add(randomVersion(r));
        }
        compare("semver", inputs, v -> String.join("|", String.valueOf(SemVer.isValid(v)), SemVer.canonical(v),
                SemVer.major(v), SemVer.majorMinor(v), SemVer.prerelease(v), SemVer.build(v), ModuleVersion.canonical(v)));
        compare("escapeVersion", inputs, v -> {
            try {
                return "OK|" + ModuleEscaping.escapeVersion(v);
            } catch (ModuleRuleException e) {
                return "ERR|";
            }
        });
        compare("unescapeVersion", inputs, v -> {
            try {
                return "OK|" + ModuleEscaping.unescapeVersion(v);
            } catch (ModuleRuleException e) {
                return "ERR|";
            }
        });
        compare("pseudo", inputs, v -> {
            String base;
            String time;
            String rev;
            try {
                base = "OK|" + PseudoVersion.base(v);
            } catch (ModuleRuleException e) {
                base = "ERR|";
            }
            try {
                time = "OK|" + PseudoVersion.time(v).getEpochSecond();
            } catch (ModuleRuleException e) {
                time = "ERR|";
            }
            try {
                rev = "OK|" + PseudoVersion.rev(v);
            } catch (ModuleRuleException e) {
                rev = "ERR|";
            }
            return PseudoVersion.isPseudoVersion(v) + "|" + PseudoVersion.isZeroPseudoVersion(v) + "|" + base + "|"
                    + time + "|" + rev;
        });
        String[] majors = {"", "/v2", "/v3", ".v1", ".v2", ".v1-unstable", ".v0"};
        List<String[]> pairs = new ArrayList<>();
        List<String[]> majorPairs = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            pairs.add(new String[] {inputs.get(r.nextInt(inputs.size())), inputs.get(r.nextInt(inputs.size()))});
            majorPairs.add(new String[] {inputs.get(r.nextInt(inputs.size())), majors[r.nextInt(majors.length)]});
        }
        compare2("compare", pairs, p -> SemVer.compare(p[0], p[1]) + "|" + SemVer.max(p[0], p[1]));
        compare2("checkPathMajor", majorPairs, p -> verdict(() -> ModulePath.checkPathMajor(p[0], p[1])));
    }

    @Test
    void pseudoVersionsAreBuiltAlike() {
        Random r = new Random(7);
        String[] majors = {"", "v0", "v1", "v2", "v11"};
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String older = r.nextInt(4) == 0 ? "" : randomVersion(r);
            if (!older.isEmpty() && !SemVer.isValid(older)) {
                continue;
            }
            long unix = r.nextInt(3) == 0 ? -62135596800L : 946684800L + (long) (r.nextDouble() * 2_000_000_000L);
            cases.add(new String[] {majors[r.nextInt(majors.length)], older, Long.toString(unix), "0123456789ab"});
        }
        compare2("pseudoBuild", cases,
                c -> PseudoVersion.build(c[0], c[1], Instant.ofEpochSecond(Long.parseLong(c[2])), c[3]));
    }

    private static final String[] GOMOD_LINES = {
        "module example.com/m", "module \"example.com/q\"", "module `example.com/raw`", "module", "module a b",
        "module \"unterminated", "module example.com/m // comment", "module (\n\texample.com/blk\n)",
        "go 1.19", "go 1.21.3", "go v1.2", "go 1.2rc1", "go 01.2", "go", "go 1", "go 1.2 extra", "go 1.21 // x",
        "toolchain go1.21.0", "godebug x=1", "require example.com/dep v1.2.3", "require example.com/dep v1.2",
        "require example.com/dep latest", "require example.com/dep/v2 v1.0.0", "require example.com/dep/v2 v2.0.0",
        "require (\n\texample.com/a v1.0.0\n\texample.com/b v0.1.0 // indirect\n)", "require x", "require \"bad",
        "require example.com/dep v2.0.0+incompatible", "exclude example.com/x v9", "replace a => b v1.0.0",
        "replace garbage", "retract v1.0.0", "retract [v1.0.0, v1.2.0]", "// rationale\nretract v1.1.0",
        "retract (\n\t// why\n\tv0.9.0\n\t[v0.1.0, v0.2.0]\n)", "retract [v1.0.0 v1.1.0]", "retract", "retract notaversion",
        "retract v1.0.0 extra", "unknown directive here", "/* block comment */", "weird ( stuff", "(", ")",
        "require (", "require ( )", "retract ( // c\n v1.0.0\n)", "module example.com/m\u00a0", "go 1.19\r",
        "module \u0000x", "// just a comment", "", "\t", "module example.com/dup\nmodule example.com/dup2",
        "go 1.18\ngo 1.19", "module \"a\\u00e9\"", "module \"a\\x41\"", "module \"a\\q\"", "use ./x", "work ( x )",
    };

    @Test
    void goModsAgree() {
        Random r = new Random(99);
        List<String> inputs = new ArrayList<>();
        for (String l : GOMOD_LINES) {
            inputs.add(l + "\n");
        }
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(6);
            for (int k = 0; k < n; k++) {
                sb.append(GOMOD_LINES[r.nextInt(GOMOD_LINES.length)]).append(r.nextInt(10) == 0 ? "" : "\n");
            }
            inputs.add(sb.toString());
        }
        compare("gomod", inputs, text -> {
            try {
                GoModFile f = GoModFile.parseLax(text.getBytes(StandardCharsets.UTF_8));
                List<String> rs = new ArrayList<>();
                for (Retraction rt : f.retractions()) {
                    rs.add(rt.low() + " " + rt.high());
                }
                return "OK|" + (f.modulePath() == null ? "" : "M:" + f.modulePath()) + "|"
                        + (f.goVersion() == null ? "" : f.goVersion()) + "|" + String.join("|", rs).replace('|', '|');
            } catch (ModuleRuleException e) {
                return "ERR";
            }
        }, answer -> answer.get(0).equals("ERR") ? "ERR"
                : "OK|" + answer.get(1) + "|" + answer.get(2) + "|" + answer.get(3));
        compare("modulePathOf", inputs, text -> GoModFile.modulePathOf(text.getBytes(StandardCharsets.UTF_8)));
        List<String> paths = new ArrayList<>();
        Random q = new Random(5);
        for (int i = 0; i < 2000; i++) {
            paths.add(randomPath(q));
        }
        paths.add("");
        compare("autoQuote", paths, p -> new String(GoModFile.synthesize(p), StandardCharsets.UTF_8)
                .replaceFirst("^module ", "").replaceFirst("\n$", ""));
    }

    private interface Check {
        void run() throws ModuleRuleException;
    }

    private static String verdict(Check c) {
        try {
            c.run();
            return "OK";
        } catch (ModuleRuleException e) {
            return "ERR";
        }
    }

    private static void compare(String op, List<String> inputs, Function<String, String> java) {
        compare(op, inputs, java, answer -> String.join("|", answer));
    }

    private static void compare(String op, List<String> inputs, Function<String, String> java,
            Function<List<String>, String> goFormat) {
        List<List<byte[]>> requests = new ArrayList<>();
        for (String in : inputs) {
            requests.add(GoOracle.request(op, in));
        }
        List<List<String>> answers = oracle.ask(requests);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String go = goFormat.apply(answers.get(i));
            String ours = java.apply(inputs.get(i));
            if (!go.equals(ours)) {
                failures.add(op + "(" + quote(inputs.get(i)) + "): go " + quote(go) + ", java " + quote(ours));
            }
        }
        report(op, inputs.size(), failures);
    }

    private static void compare2(String op, List<String[]> inputs, Function<String[], String> java) {
        List<List<byte[]>> requests = new ArrayList<>();
        for (String[] in : inputs) {
            requests.add(GoOracle.request(op, in));
        }
        List<List<String>> answers = oracle.ask(requests);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String go = String.join("|", answers.get(i));
            String ours = java.apply(inputs.get(i));
            if (!go.equals(ours)) {
                failures.add(op + "(" + quote(String.join(", ", inputs.get(i))) + "): go " + quote(go) + ", java " + quote(ours));
            }
        }
        report(op, inputs.size(), failures);
    }

    private static void report(String op, int n, List<String> failures) {
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + n + " " + op + " answers differ from x/mod:\n"
                    + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        assertEquals(0, failures.size());
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
