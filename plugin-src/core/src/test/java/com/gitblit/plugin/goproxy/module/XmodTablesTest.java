package com.gitblit.plugin.goproxy.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/**
 * The tables of x/mod's own module and semver tests, extracted from the installed sources by
 * {@code test-fixtures/xmod-tables} and checked the way x/mod's tests check them.
 */
@RequiresGo
class XmodTablesTest {
    private static final String XMOD = GoOracle.GOPATH + "/src/golang.org/x/mod";
    private static List<Map<String, Object>> rows;

    @BeforeAll
    static void extract() {
        String out = GoOracle.build("xmod-tables").run(XMOD);
        rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(new Gson().fromJson(line, new TypeToken<Map<String, Object>>() { }.getType()));
            }
        }
    }

    private static List<Map<String, Object>> table(String name) {
        List<Map<String, Object>> t = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (name.equals(r.get("table"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) r.get("fields");
                t.add(fields);
            }
        }
        assertTrue(t.size() > 0, "x/mod table " + name + " is empty or missing");
        return t;
    }

    /** Strings come base64-encoded (some hold invalid UTF-8); Java sees what a UTF-8 decoder makes of them. */
    private static String str(Map<String, Object> row, String field) {
        Object v = row.get(field);
        if (v == null) {
            return "";
        }
        @SuppressWarnings("unchecked")
        String b64 = (String) ((Map<String, Object>) v).get("s");
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static boolean bool(Map<String, Object> row, String field) {
        return Boolean.TRUE.equals(row.get(field));
    }

    private static boolean ok(ThrowingRunnable r) {
        try {
            r.run();
            return true;
        } catch (ModuleRuleException e) {
            return false;
        }
    }

    private interface ThrowingRunnable {
        void run() throws ModuleRuleException;
    }

    @Test
    void checkPathTests() {
        for (Map<String, Object> t : table("checkPathTests")) {
            String path = str(t, "path");
            assertEquals(bool(t, "ok"), ok(() -> ModulePath.checkPath(path)), "CheckPath " + path);
            assertEquals(bool(t, "importOK"), ok(() -> ModulePath.checkImportPath(path)), "CheckImportPath " + path);
            assertEquals(bool(t, "fileOK"), ok(() -> ModulePath.checkFilePath(path)), "CheckFilePath " + path);
            if (!bool(t, "ok")) {
                assertEquals(false, ok(() -> ModuleEscaping.escapePath(path)), "EscapePath " + path);
            }
        }
    }

    @Test
    void checkTests() {
        for (Map<String, Object> t : table("checkTests")) {
            String path = str(t, "path");
            String version = str(t, "version");
            boolean got = ok(() -> {
                ModulePath.checkPath(path);
                if (!SemVer.isValid(version)) {
                    throw new ModuleRuleException("not a semantic version");
                }
                PathVersion pv = ModulePath.splitPathVersion(path);
                ModulePath.checkPathMajor(version, pv == null ? "" : pv.pathMajor());
            });
            assertEquals(bool(t, "ok"), got, "Check " + path + " " + version);
        }
    }

    @Test
    void splitPathVersionTests() {
        for (Map<String, Object> t : table("splitPathVersionTests")) {
            String prefix = str(t, "pathPrefix");
            String version = str(t, "version");
            PathVersion pv = ModulePath.splitPathVersion(prefix + version);
            assertEquals(new PathVersion(prefix, version), pv, prefix + version);
        }
    }

    @Test
    void escapeTests() throws Exception {
        for (Map<String, Object> t : table("escapeTests")) {
            String path = str(t, "path");
            String esc = str(t, "esc").isEmpty() ? path : str(t, "esc");
            assertEquals(esc, ModuleEscaping.escapePath(path));
            assertEquals(path, ModuleEscaping.unescapePath(esc));
        }
    }

    @Test
    void pseudoTests() throws Exception {
        Instant pseudoTime = Instant.parse("2006-01-02T15:04:05Z");
        for (Map<String, Object> t : table("pseudoTests")) {
            String major = str(t, "major");
            String older = str(t, "older");
            String version = str(t, "version");
            assertEquals(version, PseudoVersion.build(major, older, pseudoTime, "hash"));
            assertTrue(PseudoVersion.isPseudoVersion(version), version);
            assertEquals(older, PseudoVersion.base(version), version);
            assertEquals(pseudoTime, PseudoVersion.time(version));
            assertEquals("hash", PseudoVersion.rev(version));
        }
    }

    @Test
    void semverTests() {
        List<Map<String, Object>> tests = table("semverTests");
        for (Map<String, Object> t : tests) {
            String in = str(t, "in");
            String out = str(t, "out");
            assertEquals(!out.isEmpty(), SemVer.isValid(in), in);
            assertEquals(out, SemVer.canonical(in), in);
        }
        for (int i = 0; i < tests.size(); i++) {
            for (int j = 0; j < tests.size(); j++) {
                String oi = str(tests.get(i), "out");
                String oj = str(tests.get(j), "out");
                int want = oi.equals(oj) ? 0 : i < j ? -1 : 1;
                assertEquals(want, SemVer.compare(str(tests.get(i), "in"), str(tests.get(j), "in")),
                        "Compare " + str(tests.get(i), "in") + " " + str(tests.get(j), "in"));
            }
        }
    }
}
