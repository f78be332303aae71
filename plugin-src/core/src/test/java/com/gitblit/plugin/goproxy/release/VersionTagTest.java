package com.gitblit.plugin.goproxy.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which tags the go command takes for versions, of which module, and what the pusher is told about the others. */
class VersionTagTest {

    static Stream<Arguments> tags() {
        return Stream.of(
                Arguments.of("refs/tags/v1.4.2", VersionTag.Kind.VERSION, "", "v1.4.2"),
                Arguments.of("v1.0.0-rc.1", VersionTag.Kind.VERSION, "", "v1.0.0-rc.1"),
                Arguments.of("refs/tags/sub/dir/v0.1.0", VersionTag.Kind.VERSION, "sub/dir", "v0.1.0"),
                Arguments.of("v1.2", VersionTag.Kind.NOT_CANONICAL, "", "v1.2"),
                Arguments.of("v1", VersionTag.Kind.NOT_CANONICAL, "", "v1"),
                Arguments.of("v1.2.3+build.5", VersionTag.Kind.NOT_CANONICAL, "", "v1.2.3+build.5"),
                Arguments.of("v01.2.3", VersionTag.Kind.NOT_CANONICAL, "", "v01.2.3"),
                Arguments.of("sub/v2.0", VersionTag.Kind.NOT_CANONICAL, "sub", "v2.0"),
                Arguments.of("v0.0.0-20200101000000-abcdefabcdef", VersionTag.Kind.PSEUDO_VERSION, "",
                        "v0.0.0-20200101000000-abcdefabcdef"),
                Arguments.of("v1.2.4-0.20200101000000-abcdefabcdef", VersionTag.Kind.PSEUDO_VERSION, "",
                        "v1.2.4-0.20200101000000-abcdefabcdef"),
                Arguments.of("1.2.3", VersionTag.Kind.OTHER, "", "1.2.3"),
                Arguments.of("release-1", VersionTag.Kind.OTHER, "", "release-1"),
                Arguments.of("version", VersionTag.Kind.OTHER, "", "version"),
                Arguments.of("v", VersionTag.Kind.OTHER, "", "v"));
    }

    @ParameterizedTest
    @MethodSource("tags")
    void readsTagsAsTheGoCommandDoes(String ref, VersionTag.Kind kind, String dir, String version) {
        VersionTag tag = VersionTag.parse(ref);
        assertEquals(kind, tag.kind(), ref);
        assertEquals(dir, tag.dir(), ref);
        assertEquals(version, tag.version(), ref);
    }

    @Test
    void candidatesFollowTheMajorVersion() {
        assertEquals("git.example.com/team/lib@v1.4.2", candidates("v1.4.2"));
        assertEquals("git.example.com/team/lib/sub@v0.1.0", candidates("sub/v0.1.0"));
        assertEquals("git.example.com/team/lib/v2@v2.0.0 git.example.com/team/lib@v2.0.0+incompatible",
                candidates("v2.0.0"));
        assertEquals("git.example.com/team/lib/sub/v3@v3.1.0 git.example.com/team/lib/sub@v3.1.0+incompatible",
                candidates("sub/v3.1.0"));
    }

    private static String candidates(String tag) {
        return VersionTag.parse(tag).candidates("git.example.com/team/lib").stream().map(Object::toString)
                .collect(Collectors.joining(" "));
    }

    @Test
    void modesAcceptTheUsualSpellings() {
        assertEquals(PushCheckMode.REJECT, PushCheckMode.parse(" Reject "));
        assertEquals(PushCheckMode.WARN, PushCheckMode.parse("warn"));
        assertEquals(PushCheckMode.OFF, PushCheckMode.parse("off"));
        assertNull(PushCheckMode.parse(""));
        assertNull(PushCheckMode.parse("maybe"));
        assertNull(PushCheckMode.parse(null));
    }

    @Test
    void linesSpeakTheProxysWords() {
        VersionTag v = VersionTag.parse("v1.4.2");
        assertEquals("goproxy: git.example.com/team/lib@v1.4.2 will be served",
                ReleaseLines.verdict(TagVerdict.served(v, "git.example.com/team/lib", "v1.4.2")));
        assertEquals("goproxy: tag v1.4.2 will not be served: git.example.com/team/lib@v1.4.2: invalid version: x",
                ReleaseLines.verdict(TagVerdict.notServed(v, "git.example.com/team/lib", "v1.4.2",
                        "git.example.com/team/lib@v1.4.2: invalid version: x")));
        assertEquals("goproxy: tag sub/v1.2 is ignored by the go command: v1.2 is not a canonical semantic version"
                + " (sub/v1.2.0 would be)", ReleaseLines.ignored(VersionTag.parse("sub/v1.2")));
        assertEquals("goproxy: tag v01.2.3 is ignored by the go command: v01.2.3 is not a canonical semantic version",
                ReleaseLines.ignored(VersionTag.parse("v01.2.3")));
    }
}
