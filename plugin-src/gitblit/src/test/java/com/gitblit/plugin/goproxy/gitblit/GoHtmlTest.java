package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Text from repositories is HTML-escaped, in element text and in attribute values. */
class GoHtmlTest {
    @Test
    void escapesEverythingThatCouldOpenMarkup() {
        assertEquals("&lt;img src=x onerror=&#39;a&#39;&gt; &amp; &quot;", GoHtml.text("<img src=x onerror='a'> & \""));
        assertFalse(GoHtml.attr("x\"><script>").contains("\""));
        assertEquals("", GoHtml.text(null));
    }
}
