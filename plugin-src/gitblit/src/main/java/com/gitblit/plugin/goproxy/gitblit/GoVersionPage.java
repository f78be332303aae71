package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;

import org.apache.wicket.PageParameters;
import org.apache.wicket.markup.html.basic.Label;

import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.catalog.GoModLinks;
import com.gitblit.plugin.goproxy.catalog.VersionPage;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.wicket.WicketUtils;
import com.gitblit.wicket.pages.RepositoryPage;

/**
 * One version of a module: go.mod with every module path a link (by namespace only), its packages linking to
 * Gitblit's tree view, and the go.sum lines once it was served. Only for viewers who may download the module;
 * unknown, unlisted and hidden versions are all the same 404.
 */
public class GoVersionPage extends RepositoryPage {
    private static final long serialVersionUID = 1L;

    public GoVersionPage(PageParameters params) {
        super(admitted(params));
        GoPageData data = GoPages.data();
        UserModel viewer = GoPages.viewer(data);
        HostedRepository hosted = data.repository(viewer, repositoryName, GoPages.request());
        String module = GoPages.param(params, "m");
        String version = GoPages.param(params, "v");
        if (hosted == null || module == null || version == null) {
            throw GoPages.notFound();
        }
        GoModLinks links = new GoModLinks(data.namespace(GoPages.request()), p -> GoPages.moduleUrl(this, p),
                PluginSettings.docsSiteUrl(data.settings()));
        VersionPage page;
        try {
            page = data.catalog().version(hosted, module, version, links);
        } catch (ServiceFailure e) {
            if (e.kind() == ServiceFailure.Kind.NOT_FOUND) {
                throw GoPages.notFound();
            }
            throw new org.apache.wicket.protocol.http.servlet.AbortWithWebErrorCodeException(503, e.getMessage());
        } catch (IOException e) {
            throw new org.apache.wicket.protocol.http.servlet.AbortWithWebErrorCodeException(503, e.getMessage());
        }
        if (page == null) {
            throw GoPages.notFound();
        }
        add(new Label("version", GoHtml.version(page, GoPages.links(this, repositoryName)))
                .setEscapeModelStrings(false));
    }

    private static PageParameters admitted(PageParameters params) {
        GoPageData data = GoPages.data();
        if (data.repository(GoPages.viewer(data), WicketUtils.getRepositoryName(params), GoPages.request()) == null) {
            throw GoPages.notFound();
        }
        return params;
    }

    @Override
    protected String getPageName() {
        return "Go";
    }

    @Override
    protected Class<? extends com.gitblit.wicket.pages.BasePage> getRepoNavPageClass() {
        return GoTabPage.class;
    }
}
