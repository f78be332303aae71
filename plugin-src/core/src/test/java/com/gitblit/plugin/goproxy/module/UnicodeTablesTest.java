package com.gitblit.plugin.goproxy.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

import com.gitblit.plugin.goproxy.testing.GoOracle;
import com.gitblit.plugin.goproxy.testing.RequiresGo;

/** The checked-in tables are exactly what the generator makes from this machine's Go unicode package. */
@RequiresGo
class UnicodeTablesTest {
    @Test
    void checkedInTablesAreTheGeneratorsOutput() throws Exception {
        String generated = GoOracle.build("unicode").run();
        String checkedIn = new String(Files.readAllBytes(Paths.get(
                "plugin-src/core/src/main/java/com/gitblit/plugin/goproxy/module/UnicodeTables.java")), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(checkedIn, generated, "regenerate: cd test-fixtures/unicode && GO111MODULE=off go run main.go > "
                + "../../plugin-src/core/src/main/java/com/gitblit/plugin/goproxy/module/UnicodeTables.java");
    }

    @Test
    void foldingAndLettersFollowGoNotTheJvm() {
        assertEquals(CaseFold.fold("k"), CaseFold.fold("\u212a")); // KELVIN SIGN folds with k
        assertEquals("k", CaseFold.fold("K"));
        assertTrue(UnicodeClass.isLetter('\u00e9'));
        assertFalse(UnicodeClass.isLetter(0x1F600)); // emoji
        assertFalse(UnicodeClass.isLetter(0x0301)); // combining mark
    }
}
