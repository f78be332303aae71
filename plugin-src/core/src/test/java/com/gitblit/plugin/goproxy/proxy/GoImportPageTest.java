package com.gitblit.plugin.goproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The page as the go command's discovery reads it (cmd/go vcs/discovery.go): tokens up to {@code </head>} or
 * {@code <body>}, meta tags named {@code go-import} whose content splits into exactly three fields.
 */
class GoImportPageTest {

    @Test
    void theHeadStartsWithTheGoImportTagPointingAtTheProxy() {
        String html = GoImportPage.render("git.example.com/team/lib", "https://git.example.com/go",
                "/summary/?r=team/lib.git");
        int head = html.indexOf("<head>");
        String firstInHead = html.substring(head + "<head>".length()).trim();
        assertTrue(firstInHead.startsWith(
                "<meta name=\"go-import\" content=\"git.example.com/team/lib mod https://git.example.com/go\">"), html);
        assertEquals(1, html.split("go-import", -1).length - 1, "exactly one go-import tag");
        assertTrue(html.indexOf("<a href=\"/summary/?r=team/lib.git\">") > html.indexOf("<body>"), html);
    }

    @Test
    void withoutASourceLinkThereIsNoLink() {
        assertFalse(GoImportPage.render("x.example/m", "http://x.example/go", null).contains("<a "));
    }

    @Test
    void attributeValuesAreEscaped() {
        String html = GoImportPage.render("a.example/m", "https://a.example/go?x=\"<&>'", "/p?a=1&b=2");
        assertTrue(html.contains("content=\"a.example/m mod https://a.example/go?x=&quot;&lt;&amp;&gt;&#39;\""), html);
        assertTrue(html.contains("href=\"/p?a=1&amp;b=2\""), html);
    }
}
