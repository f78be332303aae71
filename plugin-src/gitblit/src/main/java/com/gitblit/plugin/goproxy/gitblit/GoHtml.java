package com.gitblit.plugin.goproxy.gitblit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.gitblit.plugin.goproxy.catalog.GoModLinks;
import com.gitblit.plugin.goproxy.catalog.ModuleEntry;
import com.gitblit.plugin.goproxy.catalog.ModuleListPage;
import com.gitblit.plugin.goproxy.catalog.ModuleSummary;
import com.gitblit.plugin.goproxy.catalog.OmittedTag;
import com.gitblit.plugin.goproxy.catalog.VersionEntry;
import com.gitblit.plugin.goproxy.catalog.VersionPage;

/**
 * The catalog as HTML fragments inside Gitblit's pages, in Gitblit's own CSS classes ({@code repositories},
 * {@code tagRef}, {@code label}). Every text that comes from a repository (tag names, paths, go.mod lines,
 * rationales, reasons) goes through {@link #text} or {@link #attr}: a tag named {@code <script>} is shown, never
 * run.
 */
final class GoHtml {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** Where the fragments link to; the page builds these URLs with Wicket. */
    interface Links {
        String tree(String commit, String directory);

        String commit(String commit);

        String version(String modulePath, String version);

        String module(String modulePath);
    }

    private GoHtml() {
    }

    static String modules(List<ModuleEntry> modules, Links links) {
        StringBuilder h = new StringBuilder();
        for (ModuleEntry m : modules) {
            h.append("<div class=\"go-module\" data-module=\"").append(attr(m.path())).append("\">");
            h.append("<h3 class=\"go-module-path\">").append(text(m.path())).append("</h3>");
            if (m.latest() != null) {
                h.append("<p>latest: <a class=\"go-latest\" href=\"").append(attr(links.version(m.path(), m.latest())))
                        .append("\">").append(text(m.latest())).append("</a></p>");
                h.append("<div class=\"input-append\"><input type=\"text\" readonly=\"readonly\" class=\"go-get span6\""
                        + " value=\"").append(attr(m.goGet())).append("\"/>")
                        .append("<button type=\"button\" class=\"btn go-copy\" onclick=\"var i=this.previousSibling;"
                                + "i.select();if(navigator.clipboard){navigator.clipboard.writeText(i.value);}"
                                + "else{document.execCommand('copy');}\">copy</button></div>");
            } else {
                h.append("<p class=\"go-no-latest\">no version yet: ").append(text(m.latestProblem())).append("</p>");
            }
            versions(h, m, links);
            omitted(h, m, links);
            h.append("</div>");
        }
        return h.toString();
    }

    private static void versions(StringBuilder h, ModuleEntry m, Links links) {
        if (m.versions().isEmpty()) {
            return;
        }
        h.append("<table class=\"repositories go-versions\"><thead><tr><th>version</th><th>time</th>"
                + "<th></th><th>tree / commit</th></tr></thead><tbody>");
        for (VersionEntry v : m.versions()) {
            h.append("<tr class=\"go-version\" data-version=\"").append(attr(v.version())).append("\"><td><a href=\"")
                    .append(attr(links.version(m.path(), v.version()))).append("\">").append(text(v.version()))
                    .append("</a></td><td>").append(time(v.time())).append("</td><td>");
            if (v.prerelease()) {
                h.append("<span class=\"label go-prerelease\">prerelease</span> ");
            }
            if (v.retracted()) {
                h.append("<span class=\"label label-important go-retracted\">retracted</span> ");
                if (!v.retraction().isEmpty()) {
                    h.append("<span class=\"go-rationale\">").append(text(v.retraction())).append("</span>");
                }
            }
            h.append("</td><td><a class=\"go-tree\" href=\"").append(attr(links.tree(v.commit(), null)))
                    .append("\">tree</a> | <a class=\"go-commit\" href=\"").append(attr(links.commit(v.commit())))
                    .append("\">").append(text(v.commit().substring(0, 12))).append("</a> <span class=\"tagRef\">")
                    .append(text(v.tag())).append("</span></td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static void omitted(StringBuilder h, ModuleEntry m, Links links) {
        if (m.omitted().isEmpty()) {
            return;
        }
        h.append("<h4>Tags the proxy does not serve</h4><table class=\"repositories go-omitted\"><thead><tr>"
                + "<th>tag</th><th>why</th></tr></thead><tbody>");
        for (OmittedTag t : m.omitted()) {
            h.append("<tr class=\"go-omitted-tag\" data-tag=\"").append(attr(t.tag())).append("\"><td>");
            if (t.commit() != null) {
                h.append("<a href=\"").append(attr(links.commit(t.commit()))).append("\">").append(text(t.tag()))
                        .append("</a>");
            } else {
                h.append(text(t.tag()));
            }
            h.append("</td><td class=\"go-reason\">").append(text(t.reason())).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    static String version(VersionPage page, Links links) {
        StringBuilder h = new StringBuilder();
        VersionEntry v = page.entry();
        h.append("<h3 class=\"go-module-path\">").append(text(page.modulePath())).append(" <span class=\"go-version-name\">")
                .append(text(v.version())).append("</span></h3>");
        h.append("<p>").append(time(v.time())).append(" &middot; <a class=\"go-commit\" href=\"")
                .append(attr(links.commit(page.commit()))).append("\">").append(text(page.commit())).append("</a>");
        if (v.prerelease()) {
            h.append(" <span class=\"label go-prerelease\">prerelease</span>");
        }
        if (v.retracted()) {
            h.append(" <span class=\"label label-important go-retracted\">retracted</span> ")
                    .append(text(v.retraction()));
        }
        h.append("</p>");
        h.append("<div class=\"input-append\"><input type=\"text\" readonly=\"readonly\" class=\"go-get span6\" value=\"")
                .append(attr("go get " + page.modulePath() + "@" + v.version())).append("\"/></div>");
        h.append("<h4>go.mod</h4><pre class=\"go-mod\">");
        for (GoModLinks.Line line : page.goMod()) {
            for (GoModLinks.Segment s : line.segments()) {
                if (s.href() != null) {
                    h.append("<a href=\"").append(attr(s.href())).append("\">").append(text(s.text())).append("</a>");
                } else {
                    h.append(text(s.text()));
                }
            }
            h.append('\n');
        }
        h.append("</pre><h4>Packages</h4><ul class=\"go-packages\">");
        for (String p : page.packages()) {
            String dir = page.directory().isEmpty() ? p : p.isEmpty() ? page.directory() : page.directory() + "/" + p;
            h.append("<li><a href=\"").append(attr(links.tree(page.commit(), dir))).append("\">")
                    .append(text(page.importPath(p))).append("</a></li>");
        }
        h.append("</ul><h4>go.sum</h4>");
        if (page.goSumLines().isEmpty()) {
            h.append("<p class=\"go-sum-none\">Not served yet: the hashes are recorded when go first downloads this"
                    + " version (a page never builds a zip).</p>");
        } else {
            h.append("<pre class=\"go-sum\">");
            for (String line : page.goSumLines()) {
                h.append(text(line)).append('\n');
            }
            h.append("</pre>");
        }
        return h.toString();
    }

    static String list(ModuleListPage page, Links links) {
        StringBuilder h = new StringBuilder();
        h.append("<p class=\"go-count\">").append(page.total()).append(page.total() == 1 ? " module" : " modules")
                .append("</p><table class=\"repositories go-module-list\"><thead><tr><th>module</th><th>latest</th>"
                        + "<th>time</th></tr></thead><tbody>");
        for (ModuleSummary s : page.rows()) {
            h.append("<tr class=\"go-module-row\" data-module=\"").append(attr(s.path())).append("\"><td><a href=\"")
                    .append(attr(links.module(s.path()))).append("\">").append(text(s.path())).append("</a></td><td>");
            if (s.latest() != null) {
                h.append("<a href=\"").append(attr(links.version(s.path(), s.latest()))).append("\">")
                        .append(text(s.latest())).append("</a>");
            }
            h.append("</td><td>").append(time(s.time())).append("</td></tr>");
        }
        h.append("</tbody></table>");
        return h.toString();
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    static String attr(String s) {
        return text(s);
    }
}
