package com.gitblit.plugin.goproxy.gitblit;

import java.util.Collections;
import java.util.List;

import com.gitblit.extensions.NavLinkExtension;
import com.gitblit.models.NavLink;
import com.gitblit.models.UserModel;

import ro.fortsoft.pf4j.Extension;

/** "Go admin" in Gitblit's top navigation, for Gitblit's administrators only and while the proxy runs. */
@Extension
public class GoAdminNavLinks extends NavLinkExtension {
    @Override
    public List<NavLink> getNavLinks(UserModel user) {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        if (user == null || !user.isAuthenticated() || user.disabled || !user.canAdmin() || runtime == null
                || runtime.service() == null) {
            return Collections.emptyList();
        }
        return Collections.<NavLink>singletonList(new NavLink.PageNavLink("Go admin", GoAdminPage.class));
    }
}
