package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositoryNamesTest {

    @ParameterizedTest
    @CsvSource({
        "team/lib, true", "lib, true", "~alice/tool.v2, true", "a/b-c/d_e/f+g/h.i, true", "Team/Lib, true",
        "'', false", "/team, false", "team/, false", "team//lib, false", "./lib, false", "team/./lib, false",
        "team/../lib, false", "'..', false", "team/li b, false", "team\\lib, false", "team/lib!, false",
        "team/lib?x, false", "team/%2e, false", "team/lib:x, false", "tëam/lib, false"})
    void onlyCleanRelativePathsMayNameARepository(String path, boolean clean) {
        assertEquals(clean, RepositoryNames.isClean(path), path);
    }

    @ParameterizedTest
    @CsvSource({"team/lib.git, team/lib, team", "team/app, team/app, team", "top.git, top, ''",
        "team/a/b.git, team/a/b, team"})
    void namesAndTheirParts(String name, String withoutDotGit, String first) {
        assertEquals(withoutDotGit, RepositoryNames.withoutDotGit(name));
        assertEquals(first, RepositoryNames.firstElement(name));
    }
}
