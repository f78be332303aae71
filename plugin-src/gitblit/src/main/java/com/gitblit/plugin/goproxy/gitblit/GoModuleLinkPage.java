package com.gitblit.plugin.goproxy.gitblit;

import org.apache.wicket.PageParameters;
import org.apache.wicket.RestartResponseException;
import org.apache.wicket.markup.html.WebPage;

import com.gitblit.wicket.WicketUtils;

/**
 * A module path, as go.mod links name it: leads to the Go tab of the repository holding it when the viewer may
 * download from it, else the 404 every hidden or absent module gets. Renders nothing itself.
 */
public class GoModuleLinkPage extends WebPage {
    public GoModuleLinkPage(PageParameters params) {
        GoPageData data = GoPages.data();
        String module = GoPages.param(params, "m");
        String repository = module == null || module.isEmpty() || module.length() > 1024 ? null
                : data.repositoryOfModule(GoPages.viewer(data), module, GoPages.request());
        if (repository == null) {
            throw GoPages.notFound();
        }
        throw new RestartResponseException(GoTabPage.class, WicketUtils.newRepositoryParameter(repository));
    }
}
