package com.gitblit.plugin.goproxy.gitblit;

import java.io.IOException;
import java.io.Serializable;

import org.apache.wicket.PageParameters;

import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.admin.AdminActions;
import com.gitblit.plugin.goproxy.admin.ModuleInventory;
import com.gitblit.plugin.goproxy.admin.PinnedVersion;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.wicket.WicketUtils;

/**
 * One act an administrator asked for and has yet to confirm: what it is, on what, what it will do, and running
 * it. Kept in the confirmation page (so serializable), and run only from that page's form.
 */
final class GoAdminAct implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { PURGE, FORGET, BUILD, VERIFY }

    private final Kind kind;
    private final String repository;
    private final String module;
    private final String version;

    GoAdminAct(Kind kind, String repository, String module, String version) {
        this.kind = kind;
        this.repository = repository;
        this.module = module;
        this.version = version;
    }

    String title() {
        switch (kind) {
        case PURGE:
            return "Purge the cached artifacts of " + module + " in " + repository + "?";
        case FORGET:
            return "Forget " + module + "@" + version + "?";
        case VERIFY:
            return "Verify the ledger?";
        default:
            return "Build " + module + "@" + version + " now?";
        }
    }

    String explanation() {
        switch (kind) {
        case PURGE:
            return AdminActions.PURGE_EXPLAINED;
        case FORGET:
            return AdminActions.FORGET_EXPLAINED;
        case VERIFY:
            return AdminActions.VERIFY_EXPLAINED;
        default:
            return AdminActions.BUILD_EXPLAINED;
        }
    }

    /** What the ledger holds now for the version (forget, build), so the administrator knows what changes. */
    String currentState() throws IOException {
        if (kind == Kind.VERIFY) {
            return GoAdminHtml.verificationState(GoProxyRuntime.latest().ledgerVerification());
        }
        if (kind == Kind.PURGE) {
            ModuleInventory m = GoAdminPages.model().module(repository, module);
            return "Cached now: " + GoAdminHtml.bytes(m.cachedBytes()) + " for " + m.versions().size()
                    + " pinned version(s).";
        }
        PinnedVersion v = GoAdminPages.model().module(repository, module).version(version);
        return v == null ? "Not pinned now." : "Pinned now to commit " + v.commit() + " (go.mod "
                + (v.modH1() == null ? "-" : v.modH1()) + ", zip " + (v.zipH1() == null ? "-" : v.zipH1()) + ").";
    }

    /** Runs the act for {@code who}; returns the sentence the module page shows. Writes its audit line. */
    String run(UserModel who) throws IOException {
        if (kind == Kind.VERIFY) {
            GoAdminPages.service();
            return GoProxyRuntime.latest().verifyLedger(who.username);
        }
        AdminActions actions = GoAdminPages.actions();
        if (actions == null) {
            return "The proxy has no data folder: nothing is pinned or cached, so there is nothing to do.";
        }
        if (kind == Kind.FORGET) {
            return actions.forget(who.username, module, version);
        }
        GoPageData data = GoPages.data();
        HostedRepository hosted = data.repository(who, repository, GoPages.request());
        String verb = kind == Kind.PURGE ? "purge" : "build";
        if (hosted == null) {
            String why = "Go is off for " + repository + ", or it no longer exists";
            actions.audit().append(who.username, verb, kind == Kind.PURGE ? module + " in " + repository
                    : module + "@" + version, "refused: " + why);
            return "Nothing was done: " + why + ".";
        }
        if (kind == Kind.PURGE) {
            return actions.purge(who.username, hosted, module);
        }
        try {
            return actions.build(who.username, hosted, module, version);
        } catch (ServiceFailure e) {
            return "Not built: " + e.getMessage();
        }
    }

    /** Where the act leads back to: the overview for a verification, the module's page for the others. */
    boolean onOverview() {
        return kind == Kind.VERIFY;
    }

    PageParameters moduleParameters() {
        PageParameters p = WicketUtils.newRepositoryParameter(repository);
        p.put("m", module);
        return p;
    }
}
