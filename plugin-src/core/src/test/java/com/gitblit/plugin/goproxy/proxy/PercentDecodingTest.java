package com.gitblit.plugin.goproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentDecodingTest {

    @ParameterizedTest
    @CsvSource({"team/lib, team/lib", "%7Ealice/lib, ~alice/lib", "v2.0.0+incompatible, v2.0.0+incompatible",
        "a%252fb, a%2fb", "a%C3%A9, a\u00e9", "a%2Fb, ", "a%2fb, ", "a%5cb, ", "%zz, ", "a%2, ", "a%C3, "})
    void decodesOnceStrictlyAndRefusesEncodedSlashes(String raw, String decoded) {
        assertEquals(decoded, PercentDecoding.decode(raw));
    }
}
