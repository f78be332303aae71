package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.transport.ssh.commands.CommandMetaData;
import com.gitblit.transport.ssh.commands.DispatchCommand;
import com.gitblit.transport.ssh.commands.SshCommand;
import java.util.List;
import org.kohsuke.args4j.Argument;
import ro.fortsoft.pf4j.Extension;

/**
 * {@code ssh -p 29418 admin@host goproxy status}: what of the plugin is active now and whether Gitblit needs a
 * restart for the rest. Gitblit's own {@code plugin install|upgrade} print only "Installed goproxy" and give a
 * plugin no way to add to that; this command is the answer over SSH. Gitblit looks SSH command extensions up for
 * every command line, so it works right after {@code plugin install}, before any restart.
 */
@Extension
@CommandMetaData(name = "goproxy", description = "Go module proxy plugin", admin = true)
public class GoProxySshCommands extends DispatchCommand {

    @Override
    protected void setup() {
        register(Status.class);
        register(Forget.class);
    }

    /** Prints the proxy's state, one fact a line. */
    @CommandMetaData(name = "status", description = "Is the Go module proxy serving, and does Gitblit need a restart",
            admin = true)
    public static class Status extends SshCommand {
        @Override
        public void run() {
            GoProxyRuntime runtime = GoProxyRuntime.latest();
            stdout.println(runtime == null ? "not set up: the plugin was never started" : runtime.statusReport());
        }
    }

    /**
     * {@code goproxy forget <module>@<version>...}: the administrator's way to remove a released version on purpose
     * (a secret pushed in a tag, a legal request). The version's pin (its ledger entry) and everything cached for
     * it go; the next download resolves the tag as it is then, and go.sum files that hold the old hash fail
     * verification, which is the point. Nothing else can unpin a version: a tag move or delete cannot.
     */
    @CommandMetaData(name = "forget", description = "Unpin module versions and drop their cached files", admin = true)
    public static class Forget extends SshCommand {
        @Argument(index = 0, required = true, multiValued = true, metaVar = "MODULE@VERSION",
                usage = "e.g. git.example.com/team/lib@v1.4.2")
        List<String> versions;

        @Override
        public void run() throws UnloggedFailure {
            GoProxyRuntime runtime = GoProxyRuntime.latest();
            for (String item : versions) {
                int at = item.lastIndexOf('@');
                if (at <= 0 || at == item.length() - 1) {
                    throw new UnloggedFailure(1, "goproxy: " + item + ": expected <module path>@<version>");
                }
                stdout.println(runtime == null ? "goproxy: not running" : runtime.forget(
                        getContext().getClient().getUsername() + " (ssh)", item.substring(0, at),
                        item.substring(at + 1)));
            }
        }
    }
}
