package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.extensions.UserTeamLifeCycleListener;
import com.gitblit.models.TeamModel;
import com.gitblit.models.UserModel;
import javax.inject.Inject;
import ro.fortsoft.pf4j.Extension;

/**
 * Deleting a Gitblit account deletes its Go access tokens. (A rename has no event in Gitblit; see
 * {@link GitblitTokens} for how tokens follow it.)
 */
@Extension
public class TokenOwnerListener extends UserTeamLifeCycleListener {
    private final GoProxyRuntime runtime;

    @Inject
    public TokenOwnerListener(GoProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onDeletion(UserModel user) {
        GitblitTokens tokens = runtime.tokens();
        if (tokens != null && user != null) {
            tokens.ownerDeleted(user.username);
        }
    }

    @Override
    public void onCreation(UserModel user) {
        // A new account has no tokens.
    }

    @Override
    public void onCreation(TeamModel team) {
        // Teams own no tokens.
    }

    @Override
    public void onDeletion(TeamModel team) {
        // Teams own no tokens.
    }
}
