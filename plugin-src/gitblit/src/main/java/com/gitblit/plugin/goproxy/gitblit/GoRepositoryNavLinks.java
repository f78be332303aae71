package com.gitblit.plugin.goproxy.gitblit;

import java.util.Collections;
import java.util.List;

import com.gitblit.extensions.RepositoryNavLinkExtension;
import com.gitblit.models.NavLink;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.wicket.WicketUtils;

import ro.fortsoft.pf4j.Extension;

/**
 * The "Go" tab among a repository's tabs, for exactly the viewers {@link GoPageData#tabRepository} admits:
 * readers where Go is on and they may clone, owners and administrators always. Gitblit's {@code RepositoryPage}
 * (1.9.3 and 1.10.0) asks on every repository page, with {@link UserModel#ANONYMOUS} for visitors not signed in.
 */
@Extension
public class GoRepositoryNavLinks extends RepositoryNavLinkExtension {
    @Override
    public List<NavLink> getNavLinks(UserModel user, RepositoryModel repository) {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        GoPageData data = runtime == null ? null : runtime.pageData();
        if (data == null || repository == null || data.tabRepository(data.viewer(user), repository.name) == null) {
            return Collections.emptyList();
        }
        return Collections.<NavLink>singletonList(new NavLink.PageNavLink("Go", GoTabPage.class,
                WicketUtils.newRepositoryParameter(repository.name)));
    }
}
