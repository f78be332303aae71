package com.gitblit.plugin.goproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyRequestTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("example.com/m/@v/list", "LIST example.com/m"),
                Arguments.of("example.com/m/@latest", "LATEST example.com/m"),
                Arguments.of("example.com/m/@v/v1.2.3.info", "INFO example.com/m@v1.2.3"),
                Arguments.of("example.com/m/@v/v1.2.3.mod", "MOD example.com/m@v1.2.3"),
                Arguments.of("example.com/m/@v/v1.2.3.zip", "ZIP example.com/m@v1.2.3"),
                Arguments.of("example.com/m/@v/v2.0.0+incompatible.zip", "ZIP example.com/m@v2.0.0+incompatible"),
                Arguments.of("example.com/m/@v/v2.0.0%2Bincompatible.zip", "ZIP example.com/m@v2.0.0+incompatible"),
                Arguments.of("github.com/!azure/azure-sdk/@v/list", "LIST github.com/Azure/azure-sdk"),
                Arguments.of("example.com/m/@v/!main.info", "INFO example.com/m@Main"),
                Arguments.of("example.com/m/@v/main.info", "INFO example.com/m@main"),
                Arguments.of("example.com/m/@v/abcdef1.info", "INFO example.com/m@abcdef1"),
                Arguments.of("example.com/m/@v/v1.2.info", "INFO example.com/m@v1.2"),
                Arguments.of("example.com/m/v2/@v/v2.0.0-20190314150926-abcdef123456.mod",
                        "MOD example.com/m/v2@v2.0.0-20190314150926-abcdef123456"),
                Arguments.of("example.com/sub/dir/@v/v1.0.0.info", "INFO example.com/sub/dir@v1.0.0"),
                Arguments.of("gopkg.in/yaml.v2/@v/list", "LIST gopkg.in/yaml.v2"),
                Arguments.of("sumdb/sum.golang.org/supported", "SUMDB null"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parses(String path, String expected) throws ProxyError {
        assertEquals(expected, ProxyRequest.parse(path).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "example.com/m",
        "example.com/m/@v/",
        "example.com/m/@v/v1.0.0",
        "example.com/m/@v/v1.0.0.tar",
        "example.com/m/@v/list/extra",
        "example.com/m/@v/v1.2.mod",          // .mod and .zip only for canonical versions
        "example.com/m/@v/v1.2.3+meta.zip",
        "example.com/m/@v/feature/x.info",    // a query is one path element
        "example.com/M/@v/list",              // raw upper case must be !-escaped
        "example.com/!m!/@v/list",
        "example.com/!1/@v/list",
        "Example.com/m/@v/list",
        "example/m/@v/list",                  // first element needs a dot
        "example.com/m/../n/@v/list",
        "example.com//m/@v/list",
        "example.com/m/@v/%zz.info",
        "example.com/m/@v/%ff.info",          // not UTF-8
        "example.com/m/@v/v1.0.0%0A.info",
        "example.com/m/@v/!!.info",
        "@latest",
        "/@v/list",
        "example.com/m/@latest/x",
    })
    void rejectsAsNotFound(String path) {
        ProxyError e = assertThrows(ProxyError.class, () -> ProxyRequest.parse(path));
        assertEquals(ProxyError.Kind.NOT_FOUND, e.kind());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../a/b/@v/list", "a/./b/@v/list", "a//b/@v/list", "a/b/@v/list;x=1",
        "a;x/b/@v/list", "a%2fb/@v/list", "a%2Fb/@v/list", "a%252fb/@v/list", "a%5cb/@v/list"})
    void pathsAClientDidNotSpellAreNotModules(String path) {
        ProxyError e = assertThrows(ProxyError.class, () -> ProxyRequest.parse(path));
        assertEquals(ProxyError.Kind.NOT_FOUND, e.kind());
    }

    @org.junit.jupiter.api.Test
    void absurdlyLongOrDeepPathsAreRefusedBeforeAnyLookUp() {
        String deep = "example.com" + "/a".repeat(4000) + "/@v/list";
        String message = assertThrows(ProxyError.class, () -> ProxyRequest.parse(deep)).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(message.startsWith("not found: module path too"), message);
        String deepButShort = "example.com" + "/a".repeat(ProxyRequest.MAX_MODULE_PATH_ELEMENTS) + "/@v/list";
        assertEquals(ProxyError.Kind.NOT_FOUND, assertThrows(ProxyError.class,
                () -> ProxyRequest.parse(deepButShort)).kind());
        String longName = "example.com/" + "x".repeat(ProxyRequest.MAX_MODULE_PATH_LENGTH) + "/@v/list";
        assertEquals(ProxyError.Kind.NOT_FOUND, assertThrows(ProxyError.class, () -> ProxyRequest.parse(longName)).kind());
    }
}
