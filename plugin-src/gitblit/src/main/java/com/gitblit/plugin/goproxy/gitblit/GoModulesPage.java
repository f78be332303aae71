package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;

import org.apache.wicket.PageParameters;
import org.apache.wicket.behavior.SimpleAttributeModifier;
import org.apache.wicket.markup.html.WebMarkupContainer;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.link.BookmarkablePageLink;

import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.catalog.ModuleListPage;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.wicket.pages.RootPage;

/**
 * "Go modules": every module the viewer may download, searchable by path substring ({@code q}), filtered by
 * project ({@code project}), {@value #PAGE_SIZE} to a page ({@code p}). Repositories the viewer may not
 * download from never contribute a row, a count or a project name.
 */
public class GoModulesPage extends RootPage {
    private static final long serialVersionUID = 1L;
    static final int PAGE_SIZE = 50;
    /** Longer searches are cut: no module path is longer. */
    private static final int MAX_QUERY = 1024;

    public GoModulesPage(PageParameters params) {
        super(params);
        setupPage("", "Go modules");
        GoPageData data = GoPages.data();
        UserModel viewer = GoPages.viewer(data);
        String query = GoPages.param(params, "q");
        if (query != null && query.length() > MAX_QUERY) {
            query = query.substring(0, MAX_QUERY);
        }
        String project = GoPages.param(params, "project");
        int page = 1;
        try {
            page = Integer.parseInt(GoPages.param(params, "p"));
        } catch (NumberFormatException e) {
            // absent or not a number: the first page
        }
        List<HostedRepository> all = data.downloadableIn(viewer, null, GoPages.request());
        List<HostedRepository> shown = project == null || project.isEmpty() ? all
                : data.downloadableIn(viewer, project, GoPages.request());
        ModuleListPage list;
        String body;
        try {
            list = data.catalog().instance(shown, query, page, PAGE_SIZE);
            body = GoHtml.list(list, GoPages.links(this, "")) + pager(list, query, project);
        } catch (IOException e) {
            body = "<p class=\"go-error\">" + GoHtml.text(e.getMessage()) + "</p>";
        }
        // A plain GET form (bookmarkable results); its action is set here because Wicket rewrites relative ones.
        // Wicket 1.4 escapes only quotes in attribute values: the values are escaped here, fully.
        WebMarkupContainer search = new WebMarkupContainer("searchForm");
        search.add(new SimpleAttributeModifier("action",
                GoHtml.attr(urlFor(GoModulesPage.class, new PageParameters()).toString())));
        search.add(new WebMarkupContainer("query").add(new SimpleAttributeModifier("value",
                GoHtml.attr(query == null ? "" : query))));
        search.add(new Label("projects", projectOptions(data, all, project)).setEscapeModelStrings(false));
        add(search);
        add(new Label("list", body).setEscapeModelStrings(false));
        add(new BookmarkablePageLink<Void>("setupLink", GoSetupPage.class));
    }

    private String projectOptions(GoPageData data, List<HostedRepository> repositories, String selected) {
        TreeSet<String> projects = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (HostedRepository r : repositories) {
            RepositoryModel m = ((GitblitRepository) r).model();
            projects.add(data.projectOf(m));
        }
        StringBuilder h = new StringBuilder("<option value=\"\">all projects</option>");
        for (String p : projects) {
            h.append("<option value=\"").append(GoHtml.attr(p)).append('"')
                    .append(p.equalsIgnoreCase(selected == null ? "" : selected) ? " selected=\"selected\"" : "")
                    .append('>').append(GoHtml.text(p)).append("</option>");
        }
        return h.toString();
    }

    private String pager(ModuleListPage list, String query, String project) {
        if (list.pages() <= 1) {
            return "";
        }
        StringBuilder h = new StringBuilder("<p class=\"go-pager\">page ").append(list.page()).append(" of ")
                .append(list.pages());
        if (list.page() > 1) {
            h.append(" <a class=\"go-prev\" href=\"").append(GoHtml.attr(pageUrl(list.page() - 1, query, project)))
                    .append("\">previous</a>");
        }
        if (list.page() < list.pages()) {
            h.append(" <a class=\"go-next\" href=\"").append(GoHtml.attr(pageUrl(list.page() + 1, query, project)))
                    .append("\">next</a>");
        }
        return h.append("</p>").toString();
    }

    private String pageUrl(int page, String query, String project) {
        PageParameters p = new PageParameters();
        if (query != null && !query.isEmpty()) {
            p.put("q", query);
        }
        if (project != null && !project.isEmpty()) {
            p.put("project", project);
        }
        p.put("p", String.valueOf(page));
        return urlFor(GoModulesPage.class, p).toString();
    }
}
