package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.transport.ssh.commands.CommandMetaData;
import com.gitblit.transport.ssh.commands.DispatchCommand;
import com.gitblit.transport.ssh.commands.SshCommand;
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
}
