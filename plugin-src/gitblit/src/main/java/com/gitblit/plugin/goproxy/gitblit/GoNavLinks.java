package com.gitblit.plugin.goproxy.gitblit;

import java.util.Collections;
import java.util.List;

import com.gitblit.extensions.NavLinkExtension;
import com.gitblit.models.NavLink;
import com.gitblit.models.UserModel;

import ro.fortsoft.pf4j.Extension;

/**
 * "Go modules" in Gitblit's top navigation. Gitblit shows a link's translation key as its text when it has no
 * translation for it, which is the case for a plugin's keys.
 */
@Extension
public class GoNavLinks extends NavLinkExtension {
    @Override
    public List<NavLink> getNavLinks(UserModel user) {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        if (runtime == null || runtime.pageData() == null) {
            return Collections.emptyList();
        }
        return Collections.<NavLink>singletonList(new NavLink.PageNavLink("Go modules", GoModulesPage.class));
    }
}
