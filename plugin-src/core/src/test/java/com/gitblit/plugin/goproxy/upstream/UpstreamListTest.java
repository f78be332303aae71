package com.gitblit.plugin.goproxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GOPROXY list syntax and GOPRIVATE patterns, with the cases of cmd/go's documentation. */
class UpstreamListTest {

    @Test
    void separatorsSayWhenTheNextProxyIsAsked() {
        UpstreamList list = UpstreamList.parse("https://a.example/go/, http://b.example|https://c.example,off");
        assertEquals("[https://a.example/go, http://b.example, https://c.example, off]", list.entries().toString());
        assertFalse(list.entries().get(0).fallThroughOnAnyError());
        assertTrue(list.entries().get(1).fallThroughOnAnyError());
        assertFalse(list.entries().get(2).fallThroughOnAnyError());
        assertTrue(list.entries().get(3).isOff());
    }

    @Test
    void emptyIsOffAndDirectIsRefused() {
        assertNull(UpstreamList.parse(""));
        assertNull(UpstreamList.parse("  "));
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> UpstreamList.parse("https://proxy.golang.org,direct"));
        assertTrue(direct.getMessage().startsWith("\"direct\" (fetching from version control) is not offered"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamList.parse("ftp://a.example"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamList.parse("https://user:pw@a.example"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamList.parse("https://a.example,,https://b.example"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamList.parse("noproxy"));
    }

    @Test
    void goprivatePatternsMatchLeadingElements() {
        ModulePatterns p = ModulePatterns.parse("*.corp.example,rsc.io/private, example.com/a?c,example.net/[b-d]x");
        assertEquals("*.corp.example", p.match("git.corp.example/team/m"));
        assertEquals("*.corp.example", p.match("git.corp.example"));
        assertNull(p.match("corp.example/m"));
        assertEquals("rsc.io/private", p.match("rsc.io/private/quote"));
        assertNull(p.match("rsc.io/privateer"));
        assertNull(p.match("rsc.io"));
        assertEquals("example.com/a?c", p.match("example.com/abc/d"));
        assertNull(p.match("example.com/a/c"));
        assertEquals("example.net/[b-d]x", p.match("example.net/cx"));
        assertNull(p.match("example.net/ex"));
        assertTrue(ModulePatterns.parse("").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ModulePatterns.parse("example.com/[a"));
        assertThrows(IllegalArgumentException.class, () -> ModulePatterns.parse("example.com/[]"));
    }

    @Test
    void sumdbSettingsInGosumdbSyntax() {
        SumdbSetting d = SumdbSetting.parseList(SumdbSetting.DEFAULT).get(0);
        assertEquals("sum.golang.org", d.name());
        assertEquals("https://sum.golang.org", d.url());
        SumdbSetting other = SumdbSetting.parseList(
                "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW sumdb.corp.example/").get(0);
        assertEquals("https://sumdb.corp.example", other.url());
        assertThrows(IllegalArgumentException.class, () -> SumdbSetting.parseList("sum.golang.org"));
    }
}
