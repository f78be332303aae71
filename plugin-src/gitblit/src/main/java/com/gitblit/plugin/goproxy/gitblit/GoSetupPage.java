package com.gitblit.plugin.goproxy.gitblit;

import java.net.URI;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.WebMarkupContainer;
import org.apache.wicket.markup.html.basic.Label;
import org.apache.wicket.markup.html.link.BookmarkablePageLink;

import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.catalog.ClientSetup;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;
import com.gitblit.wicket.pages.RootPage;

/**
 * "Go setup": the client lines built from this server's settings (proxy URL from {@code web.canonicalUrl} or the
 * request, the module namespace, the viewer's name). A signed-in viewer also gets the way to a Go access token
 * ({@link GoTokensPage}), the password to put in {@code ~/.netrc} instead of their Gitblit password.
 */
public class GoSetupPage extends RootPage {
    private static final long serialVersionUID = 1L;

    public GoSetupPage(PageParameters params) {
        super(params);
        setupPage("", "Go setup");
        GoPageData data = GoPages.data();
        UserModel viewer = GoPages.viewer(data);
        String base = ProxyBaseUrl.of(GoPages.request(), data.settings());
        String project = GoPages.param(params, "project");
        String projectBase = project == null || project.isEmpty() || !RepositoryNames.isClean(project)
                || project.indexOf('/') >= 0 ? null : base + "/" + GoProxyFilter.PROJECT_BASE + project;
        String host;
        try {
            host = new URI(base).getHost();
        } catch (java.net.URISyntaxException e) {
            host = data.namespace(GoPages.request());
        }
        ClientSetup setup = new ClientSetup(base, projectBase, data.namespace(GoPages.request()), host,
                viewer != null && viewer.isAuthenticated() ? viewer.username : null);
        add(new Label("goproxy", "export " + setup.goproxy()));
        add(new Label("projectGoproxy", projectBase == null ? "" : "export " + setup.projectGoproxy())
                .setVisible(projectBase != null));
        ForgeChecksumDatabase sumdb = data.checksumDatabase();
        if (sumdb != null) {
            setup.checksumDatabase(sumdb.verifierKey(), data.dependencyProxyOn());
        }
        WebMarkupContainer noSumdb = new WebMarkupContainer("noSumdb");
        noSumdb.add(new Label("gonosumdb", "export " + setup.gonosumdb()));
        noSumdb.setVisible(setup.needsGonosumdb());
        add(noSumdb);
        WebMarkupContainer ownSumdb = new WebMarkupContainer("ownSumdb");
        ownSumdb.add(new Label("gosumdb", setup.gosumdb() == null ? "" : "export " + setup.gosumdb()));
        ownSumdb.add(new Label("gosumdbNote", setup.gosumdbNote() == null ? "" : setup.gosumdbNote()));
        ownSumdb.setVisible(setup.gosumdb() != null);
        add(ownSumdb);
        add(new Label("netrc", setup.netrc()));
        add(new Label("goprivate", setup.goprivateNote()));
        // A signed-in user puts a Go access token in ~/.netrc instead of their Gitblit password.
        WebMarkupContainer tokens = new WebMarkupContainer("tokens");
        tokens.add(new BookmarkablePageLink<Void>("tokensLink", GoTokensPage.class));
        tokens.setVisible(viewer != null && viewer.isAuthenticated());
        add(tokens);
    }
}
