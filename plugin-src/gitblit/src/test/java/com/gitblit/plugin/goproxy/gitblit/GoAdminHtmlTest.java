package com.gitblit.plugin.goproxy.gitblit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.plugin.goproxy.admin.LedgerVerification;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.service.LedgerVerifier;
import com.gitblit.plugin.goproxy.service.ProxySettings;

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

    @Test
    void theLastVerificationShowsWhenCountsAndProblemRowsAsText() throws Exception {
        try (LedgerVerification v = new LedgerVerification()) {
            assertTrue(GoAdminHtml.verification(v).contains("No verification has run since the proxy started."));
            assertEquals("No verification has run since the proxy started.", GoAdminHtml.verificationState(v));
            FileVersionLedger ledger = new FileVersionLedger(data.resolve("ledger"));
            ledger.recordCommit("example.com/m", "v1.0.0", "0123456789012345678901234567890123456789",
                    "<b>gone</b>.git");
            v.start("<i>admin</i>", new AuditLog(data), new LedgerVerifier(ProxySettings.builder().build(), ledger,
                    java.util.Collections.emptyMap())::verify);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (v.last() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String html = GoAdminHtml.verification(v);
            assertFalse(html.contains("<b>") || html.contains("<i>"), html);
            assertTrue(html.contains("(started by &lt;i&gt;admin&lt;/i&gt;)"), html);
            assertTrue(html.contains("data-outcome=\"REPOSITORY_GONE\"><th>REPOSITORY_GONE</th><td>1</td>"), html);
            assertTrue(html.contains("<tr class=\"go-admin-verify-problem\" data-outcome=\"REPOSITORY_GONE\""
                    + " data-module=\"example.com/m\" data-version=\"v1.0.0\">"), html);
            assertTrue(html.contains("repository &lt;b&gt;gone&lt;/b&gt;.git not found"), html);
            assertTrue(GoAdminHtml.verificationState(v).endsWith(", 1 pinned versions, 1 repository_gone."),
                    GoAdminHtml.verificationState(v));
        }
    }
}
