package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.admin.AuditLog;

/**
 * The admin fragments show what comes from outside (user names and outcomes in the audit log) as text.
 */
class GoAdminHtmlTest {
    @TempDir
    Path data;

    @Test
    void auditLinesAreShownAsTextNeverAsMarkup() throws Exception {
        AuditLog log = new AuditLog(data);
        log.append("<img src=x onerror=alert(1)>", "forget", "example.com/m@v1.0.0", "\"><script>x</script>");
        String html = GoAdminHtml.audit(log.recent(5));
        assertFalse(html.contains("<img") || html.contains("<script>"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
    }

    @Test
    void sizesAndRatiosReadAsAPersonWouldSayThem() {
        assertEquals("512 B", GoAdminHtml.bytes(512));
        assertEquals("1.5 KiB", GoAdminHtml.bytes(1536));
        assertEquals("2.0 GiB", GoAdminHtml.bytes(2L << 30));
        assertEquals("no limit", GoAdminHtml.bytes(Long.MAX_VALUE));
        assertEquals("12.5%", GoAdminHtml.percent(0.125));
        assertEquals("-", GoAdminHtml.millis(-1));
    }
}
