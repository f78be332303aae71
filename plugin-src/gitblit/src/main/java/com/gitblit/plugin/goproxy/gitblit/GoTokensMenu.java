package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.UserMenuExtension;
import com.gitblit.models.Menu;
import com.gitblit.models.UserModel;
import java.util.Collections;
import java.util.List;
import javax.inject.Inject;
import ro.fortsoft.pf4j.Extension;

/** "Go access tokens" in the user menu of a signed-in user, while tokens are on. */
@Extension
public class GoTokensMenu extends UserMenuExtension {
    private final GoProxyRuntime runtime;

    @Inject
    public GoTokensMenu(GoProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public List<Menu.MenuItem> getMenuItems(UserModel user) {
        if (user == null || !user.isAuthenticated() || runtime.tokens() == null) {
            return Collections.emptyList();
        }
        return Collections.<Menu.MenuItem>singletonList(new Menu.PageLinkMenuItem(GoTokensPage.TITLE, GoTokensPage.class));
    }
}
