package com.gitblit.plugin.goproxy.gitblit;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.plugin.goproxy.admin.CachedArtifact;
import com.gitblit.plugin.goproxy.admin.InstanceTotals;
import com.gitblit.plugin.goproxy.admin.LedgerVerification;
import com.gitblit.plugin.goproxy.admin.ModuleInventory;
import com.gitblit.plugin.goproxy.admin.PinnedVersion;
import com.gitblit.plugin.goproxy.service.LedgerVerifier;
import com.gitblit.plugin.goproxy.service.RecentFailures;

/**
 * The admin read model as HTML fragments in Gitblit's table classes. Module paths, versions, reasons and user
 * names come from outside (repositories, go.mod files, the audit log): all of them go through {@link GoHtml#text}
 * or {@link GoHtml#attr}.
 */
final class GoAdminHtml {
    /** Builds the module page's URL for a row; the page makes it with Wicket. */
    interface ModuleLink {
        String to(String repository, String modulePath);
    }

    private GoAdminHtml() {
    }

    static String totals(InstanceTotals t) {
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed go-admin-totals\">");
        row(h, "cache", "go-admin-cache", bytes(t.cacheBytes()) + " of " + bytes(t.cacheLimit())
                + (t.cacheLimit() > 0 && t.cacheLimit() < Long.MAX_VALUE
                        ? " (" + percent((double) t.cacheBytes() / t.cacheLimit()) + ")" : ""));
        row(h, "hit ratio", "go-admin-hits", (t.hitRatio() < 0 ? "no lookups yet" : percent(t.hitRatio()))
                + " (" + t.hits() + " hits, " + t.misses() + " misses since start)");
        row(h, "evictions", "go-admin-evictions", t.evictions() + " since start");
        row(h, "builds", "go-admin-builds", t.buildsRunning() + " running of " + t.buildCapacity() + "; "
                + t.buildsWaiting() + " waiting for a slot; " + t.prebuildsQueued() + " pre-builds queued");
        row(h, "pinned", "go-admin-pinned", t.pinnedVersions() + " versions of " + t.modules() + " modules");
        row(h, "dependency proxy", "go-admin-thirdparty-state", t.thirdPartyOn()
                ? "on, " + bytes(t.thirdPartyBytes()) + " of third-party versions kept (never evicted)" : "off");
        return h.append("</table>").toString();
    }

    static String failures(List<RecentFailures.Failure> failures) {
        if (failures.isEmpty()) {
            return "<p class=\"go-admin-no-failures\">No failures since the proxy started.</p>";
        }
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed go-admin-failures\">"
                + "<tr><th>last</th><th>what</th><th>reason</th></tr>");
        for (RecentFailures.Failure f : failures) {
            h.append("<tr class=\"go-admin-failure\"><td>").append(millis(f.at())).append("</td><td>")
                    .append(GoHtml.text(f.subject())).append("</td><td class=\"go-admin-reason\">")
                    .append(GoHtml.text(f.reason())).append(f.times() > 1 ? " (" + f.times() + " times)" : "")
                    .append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    static String modules(List<ModuleInventory> modules, ModuleLink link) {
        if (modules.isEmpty()) {
            return "<p class=\"go-admin-no-modules\">Nothing is pinned yet: versions are pinned by their first"
                    + " download.</p>";
        }
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed repositories go-admin-modules\">"
                + "<tr><th>repository</th><th>module</th><th>pinned versions</th><th>newest</th><th>cached</th>"
                + "<th>last use</th></tr>");
        for (ModuleInventory m : modules) {
            h.append("<tr class=\"go-admin-module\" data-repository=\"").append(GoHtml.attr(m.repositoryKey()))
                    .append("\" data-module=\"").append(GoHtml.attr(m.modulePath())).append("\"><td>")
                    .append(GoHtml.text(m.repositoryKey())).append("</td><td><a class=\"go-admin-module-link\" href=\"")
                    .append(GoHtml.attr(link.to(m.repositoryKey(), m.modulePath()))).append("\">")
                    .append(GoHtml.text(m.modulePath())).append("</a></td><td>").append(m.versions().size())
                    .append("</td><td>").append(m.versions().isEmpty() ? "" : GoHtml.text(m.versions().get(0).version()))
                    .append("</td><td>").append(bytes(m.cachedBytes())).append("</td><td>")
                    .append(millis(m.lastUsedMillis())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    static String thirdParty(List<ModuleInventory> modules, boolean on) {
        if (!on) {
            return "<p class=\"go-admin-no-thirdparty\">The dependency proxy is off.</p>";
        }
        if (modules.isEmpty()) {
            return "<p class=\"go-admin-no-thirdparty\">No third-party module is stored yet.</p>";
        }
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed go-admin-thirdparty\">"
                + "<tr><th>module</th><th>version</th><th>go.mod</th><th>zip</th><th>first fetched</th></tr>");
        for (ModuleInventory m : modules) {
            for (PinnedVersion v : m.versions()) {
                h.append("<tr class=\"go-admin-thirdparty-version\" data-module=\"").append(GoHtml.attr(m.modulePath()))
                        .append("\" data-version=\"").append(GoHtml.attr(v.version())).append("\"><td>")
                        .append(GoHtml.text(m.modulePath())).append("</td><td>").append(GoHtml.text(v.version()))
                        .append("</td><td><code>").append(GoHtml.text(orDash(v.modH1()))).append("</code></td><td><code>")
                        .append(GoHtml.text(orDash(v.zipH1()))).append("</code></td><td>").append(millis(v.pinnedAtMillis()))
                        .append("</td></tr>");
            }
        }
        return h.append("</table>").toString();
    }

    static String versions(ModuleInventory m) {
        if (m.versions().isEmpty()) {
            return "<p class=\"go-admin-no-versions\">No version of this module is pinned.</p>";
        }
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed go-admin-versions\">"
                + "<tr><th>version</th><th>commit</th><th>go.mod h1</th><th>zip h1</th><th>pinned</th><th>how</th>"
                + "<th>cached</th></tr>");
        for (PinnedVersion v : m.versions()) {
            h.append("<tr class=\"go-admin-version\" data-version=\"").append(GoHtml.attr(v.version())).append("\"><td>")
                    .append(GoHtml.text(v.version())).append("</td><td><code class=\"go-admin-commit\">")
                    .append(GoHtml.text(v.commit())).append("</code></td><td><code class=\"go-admin-mod-h1\">")
                    .append(GoHtml.text(orDash(v.modH1()))).append("</code></td><td><code class=\"go-admin-zip-h1\">")
                    .append(GoHtml.text(orDash(v.zipH1()))).append("</code></td><td>").append(millis(v.pinnedAtMillis()))
                    .append("</td><td class=\"go-admin-origin\">").append(GoHtml.text(v.origin()))
                    .append("</td><td class=\"go-admin-artifacts\">").append(artifacts(v.artifacts())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    static String unpinned(ModuleInventory m) {
        if (m.unpinnedArtifacts().isEmpty()) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h4>Cached, not pinned</h4><p>Pre-built at a push and not downloaded"
                + " yet, or left by a forgotten pin; evicted like any other artifact.</p>"
                + "<table class=\"table table-condensed go-admin-unpinned\"><tr><th>version</th><th>commit</th>"
                + "<th>kind</th><th>size</th><th>last use</th></tr>");
        for (CachedArtifact a : m.unpinnedArtifacts()) {
            h.append("<tr class=\"go-admin-unpinned-artifact\"><td>").append(GoHtml.text(a.version()))
                    .append("</td><td><code>").append(GoHtml.text(a.commit())).append("</code></td><td>")
                    .append(a.kind()).append("</td><td>").append(bytes(a.bytes())).append("</td><td>")
                    .append(millis(a.lastUsedMillis())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    static String audit(List<AuditLog.Line> lines) {
        if (lines.isEmpty()) {
            return "<p class=\"go-admin-no-audit\">No administrator's act is recorded yet.</p>";
        }
        StringBuilder h = new StringBuilder("<table class=\"table table-condensed go-admin-audit\">"
                + "<tr><th>when</th><th>who</th><th>act</th><th>on</th><th>outcome</th></tr>");
        for (AuditLog.Line l : lines) {
            h.append("<tr class=\"go-admin-audit-line\" data-action=\"").append(GoHtml.attr(l.action()))
                    .append("\"><td>").append(GoHtml.text(l.time())).append("</td><td>").append(GoHtml.text(l.who()))
                    .append("</td><td>").append(GoHtml.text(l.action())).append("</td><td>")
                    .append(GoHtml.text(l.target())).append("</td><td>").append(GoHtml.text(l.outcome()))
                    .append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    /** The confirmation page's "state now" of a verification, as plain text. */
    static String verificationState(LedgerVerification v) {
        if (v == null) {
            return "The proxy has no data folder: nothing is pinned.";
        }
        if (v.runningFor() != null) {
            return "A verification started by " + v.runningFor() + " at " + millis(v.runningSinceMillis())
                    + " is running.";
        }
        LedgerVerification.Report last = v.last();
        return last == null ? "No verification has run since the proxy started."
                : "Last verification: " + millis(last.finishedAtMillis()) + ", " + last.summary() + ".";
    }

    /** The last verification's result: when, by whom, counts per outcome, and every row that is a problem. */
    static String verification(LedgerVerification v) {
        StringBuilder h = new StringBuilder();
        if (v != null && v.runningFor() != null) {
            h.append("<p class=\"go-admin-verify-running\">Running: started by ").append(GoHtml.text(v.runningFor()))
                    .append(" at ").append(millis(v.runningSinceMillis())).append(".</p>");
        }
        LedgerVerification.Report last = v == null ? null : v.last();
        if (last == null) {
            return h.append("<p class=\"go-admin-no-verification\">No verification has run since the proxy started.")
                    .append("</p>").toString();
        }
        h.append("<table class=\"table table-condensed go-admin-verification\"><tr><th>finished</th><td")
                .append(" class=\"go-admin-verify-when\">").append(millis(last.finishedAtMillis())).append(" (started by ")
                .append(GoHtml.text(last.who())).append(")</td></tr>");
        if (last.failure() != null) {
            h.append("<tr><th>failed</th><td class=\"go-admin-verify-failure\">").append(GoHtml.text(last.failure()))
                    .append("</td></tr>");
        }
        for (java.util.Map.Entry<LedgerVerifier.Outcome, Integer> c : last.counts().entrySet()) {
            h.append("<tr class=\"go-admin-verify-count\" data-outcome=\"").append(c.getKey().name())
                    .append("\"><th>").append(c.getKey().name()).append("</th><td>").append(c.getValue())
                    .append("</td></tr>");
        }
        h.append("</table>");
        if (last.failure() == null && last.problems().isEmpty()) {
            return h.append("<p class=\"go-admin-verify-clean\">Every pinned version is what git gives at its commit.")
                    .append("</p>").toString();
        }
        if (last.problems().isEmpty()) {
            return h.toString();
        }
        h.append("<table class=\"table table-condensed go-admin-verify-problems\"><tr><th>outcome</th><th>module</th>")
                .append("<th>version</th><th>repository</th><th>detail</th></tr>");
        for (LedgerVerifier.Finding f : last.problems()) {
            h.append("<tr class=\"go-admin-verify-problem\" data-outcome=\"").append(f.outcome().name())
                    .append("\" data-module=\"").append(GoHtml.attr(f.entry().modulePath())).append("\" data-version=\"")
                    .append(GoHtml.attr(f.entry().version())).append("\"><td>").append(f.outcome().name())
                    .append("</td><td>").append(GoHtml.text(f.entry().modulePath())).append("</td><td>")
                    .append(GoHtml.text(f.entry().version())).append("</td><td>")
                    .append(GoHtml.text(orDash(f.entry().repositoryKey()))).append("</td><td class=\"go-admin-verify-detail\">")
                    .append(GoHtml.text(f.detail())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    private static String artifacts(List<CachedArtifact> artifacts) {
        if (artifacts.isEmpty()) {
            return "nothing (rebuilt at the next download)";
        }
        StringBuilder h = new StringBuilder();
        long last = -1;
        for (CachedArtifact a : artifacts) {
            h.append(h.length() == 0 ? "" : ", ").append("<span class=\"go-admin-artifact\" data-kind=\"")
                    .append(a.kind()).append("\" data-bytes=\"").append(a.bytes()).append("\">").append(a.kind())
                    .append(' ').append(bytes(a.bytes())).append("</span>");
            last = Math.max(last, a.lastUsedMillis());
        }
        return h.append("; last use ").append(millis(last)).toString();
    }

    private static void row(StringBuilder h, String name, String css, String value) {
        h.append("<tr><th>").append(name).append("</th><td class=\"").append(css).append("\">")
                .append(GoHtml.text(value)).append("</td></tr>");
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    static String millis(long millis) {
        return millis <= 0 ? "-" : GoHtml.time(Instant.ofEpochMilli(millis));
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "no limit";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
