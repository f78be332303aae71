package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** git's own wildmatch vectors (t3070), both with and without WM_PATHNAME. */
class WildMatchTest {

    static Stream<Arguments> t3070() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = WildMatchTest.class.getResourceAsStream("/testdata/archive/wildmatch-t3070.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n", -1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                cases.add(Arguments.of(f[0].equals("1"), f[1].equals("1"), unXxx(f[2]), unXxx(f[3])));
            }
        }
        return cases.stream();
    }

    private static String unXxx(String s) {
        return s.startsWith("XXX/") ? s.substring(3) : s;
    }

    @ParameterizedTest(name = "[{index}] {2} ~ {3}")
    @MethodSource("t3070")
    void matchesLikeGit(boolean pathname, boolean plain, String text, String pattern) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
        assertEquals(pathname, WildMatch.matches(p, t, WildMatch.PATHNAME), "WM_PATHNAME");
        assertEquals(plain, WildMatch.matches(p, t, 0), "no flags");
    }

    @Test
    void hasAllVectors() throws IOException {
        assertTrue(t3070().count() > 180);
    }
}
