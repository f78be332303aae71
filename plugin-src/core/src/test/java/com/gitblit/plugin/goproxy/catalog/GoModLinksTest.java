package com.gitblit.plugin.goproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which go.mod tokens become links, and where they lead: by namespace only. */
class GoModLinksTest {
    private final GoModLinks links = new GoModLinks("git.example.com", p -> "local:" + p, "https://pkg.go.dev/");

    private List<String> linked(String goMod) {
        List<String> out = new ArrayList<>();
        for (GoModLinks.Line line : links.render(goMod.getBytes(StandardCharsets.UTF_8))) {
            for (GoModLinks.Segment s : line.segments()) {
                if (s.href() != null) {
                    out.add(s.text() + " -> " + s.href());
                }
            }
        }
        return out;
    }

    @Test
    void singleLineAndBlockDirectives() {
        assertEquals(List.of(
                "git.example.com/a -> local:git.example.com/a",
                "git.example.com/b -> local:git.example.com/b",
                "example.com/c -> https://pkg.go.dev/example.com/c",
                "example.com/d -> https://pkg.go.dev/example.com/d",
                "example.com/e -> https://pkg.go.dev/example.com/e",
                "git.example.com/f -> local:git.example.com/f",
                "example.com/g -> https://pkg.go.dev/example.com/g"),
                linked("module git.example.com/a\n\ngo 1.21\ntoolchain go1.21.0\n"
                        + "require git.example.com/b v1.0.0 // git.example.com/not-a-link\n"
                        + "require (\n\texample.com/c v1.0.0\n)\n"
                        + "exclude example.com/d v0.1.0\n"
                        + "replace (\n\texample.com/e v1.0.0 => git.example.com/f v1.1.0\n"
                        + "\texample.com/g => ./local\n)\n"
                        + "retract v1.0.0 // git.example.com/never\n"));
    }

    @Test
    void namespaceIsAPrefixOfWholeElementsAndQuotedPathsAreLinked() {
        assertEquals(List.of("git.example.com.evil/x -> https://pkg.go.dev/git.example.com.evil/x",
                "\"git.example.com/q\" -> local:git.example.com/q"),
                linked("require git.example.com.evil/x v1.0.0\nrequire \"git.example.com/q\" v1.0.0\n"));
    }

    @Test
    void directoryReplacementsStayText() {
        assertEquals(List.of("example.com/a -> https://pkg.go.dev/example.com/a",
                "example.com/b -> https://pkg.go.dev/example.com/b"),
                linked("replace example.com/a => ../a\nreplace example.com/b v1.0.0 => /abs/b\n"));
    }

    @Test
    void withoutDocsSiteOutsidePathsAreText() {
        GoModLinks none = new GoModLinks("git.example.com", p -> "local:" + p, "");
        assertNull(none.targetOf("example.com/x"));
        assertEquals("local:git.example.com", none.targetOf("git.example.com"));
    }
}
