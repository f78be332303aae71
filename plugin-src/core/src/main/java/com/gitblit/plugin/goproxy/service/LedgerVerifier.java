package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.jgit.lib.Repository;

import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.VersionLedger;
import com.gitblit.plugin.goproxy.module.zip.DirHash;
import com.gitblit.plugin.goproxy.source.CommitGoneException;
import com.gitblit.plugin.goproxy.source.ModuleSource;
import com.gitblit.plugin.goproxy.source.Revision;
import com.gitblit.plugin.goproxy.source.SourceException;
import com.gitblit.plugin.goproxy.upstream.UpstreamModules;

/**
 * Re-derives every pinned version's hashes from git, the way a first download would, and compares them with the
 * ledger's: what a restore from an old backup, or a force-push followed by gc, did to the promise the ledger holds.
 * Reads only: nothing is pinned, cached or forgotten, whatever it finds. Third-party versions (the dependency
 * proxy's) have no git to re-derive from and are reported as skipped.
 */
public final class LedgerVerifier {
    /** What one version's check found. */
    public enum Outcome {
        /** Every recorded hash is what git gives now. */
        OK,
        /** Git gives other bytes at the recorded commit (a recorded hash differs). */
        MISMATCH,
        /** The recorded commit is no longer in the repository. */
        COMMIT_GONE,
        /** The repository the version was served from is not there. */
        REPOSITORY_GONE,
        /** The version is no longer servable at its commit under today's rules, or could not be read. */
        UNREADABLE,
        /** A third-party version: nothing to re-derive it from. */
        SKIPPED;

        /** Whether this outcome breaks the ledger's promise for the version. */
        public boolean isProblem() {
            return this != OK && this != SKIPPED;
        }
    }

    /** One version's result and its one-line detail. */
    public static final class Finding {
        private final LedgerEntry entry;
        private final Outcome outcome;
        private final String detail;

        Finding(LedgerEntry entry, Outcome outcome, String detail) {
            this.entry = entry;
            this.outcome = outcome;
            this.detail = detail;
        }

        public LedgerEntry entry() {
            return entry;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return outcome + " " + entry.modulePath() + "@" + entry.version() + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final VersionLedger ledger;
    private final ModuleSources sources;
    private final Function<String, HostedRepository> repositories;

    /**
     * @param repositories the host's repositories by {@link HostedRepository#name()}, the ledger's repository key
     */
    public LedgerVerifier(ProxySettings settings, VersionLedger ledger, Map<String, HostedRepository> repositories) {
        this(settings, ledger, repositories::get);
    }

    /**
     * @param repositories finds a repository by the ledger's repository key; null when the host has none by that name
     */
    public LedgerVerifier(ProxySettings settings, VersionLedger ledger,
            Function<String, HostedRepository> repositories) {
        this.ledger = ledger;
        this.sources = new ModuleSources(settings);
        this.repositories = repositories;
    }

    /** Every pinned version, by module path and version. */
    public List<Finding> verify() throws IOException {
        List<Finding> out = new ArrayList<>();
        for (String module : ledger.modules()) {
            List<LedgerEntry> entries = new ArrayList<>(ledger.list(module));
            entries.sort(Comparator.comparing(LedgerEntry::version));
            for (LedgerEntry e : entries) {
                out.add(verify(e));
            }
        }
        return out;
    }

    Finding verify(LedgerEntry e) {
        if (e.repositoryKey() != null && e.repositoryKey().startsWith(UpstreamModules.REPOSITORY_KEY)) {
            return new Finding(e, Outcome.SKIPPED, "third-party version");
        }
        HostedRepository repository = e.repositoryKey() == null ? null : repositories.apply(e.repositoryKey());
        if (repository == null) {
            return new Finding(e, Outcome.REPOSITORY_GONE, "repository " + e.repositoryKey() + " not found");
        }
        try (Repository git = repository.open(); ModuleSource source = sources.of(git, repository)) {
            Revision revision = source.pinned(e.modulePath(), e.version(), e.commit());
            List<String> differences = new ArrayList<>();
            if (e.modH1() != null) {
                String mod = DirHash.hashGoMod(source.goMod(e.modulePath(), revision));
                if (!mod.equals(e.modH1())) {
                    differences.add("go.mod recorded " + e.modH1() + ", git gives " + mod);
                }
            }
            if (e.zipH1() != null) {
                String zip = source.zip(e.modulePath(), revision).writeTo(new Discard());
                if (!zip.equals(e.zipH1())) {
                    differences.add("zip recorded " + e.zipH1() + ", git gives " + zip);
                }
            }
            return differences.isEmpty() ? new Finding(e, Outcome.OK, "commit " + e.commit())
                    : new Finding(e, Outcome.MISMATCH, "at commit " + e.commit() + ": " + String.join("; ", differences));
        } catch (CommitGoneException ex) {
            return new Finding(e, Outcome.COMMIT_GONE, "commit " + e.commit() + " is not in " + repository.name());
        } catch (SourceException | IOException | RuntimeException ex) {
            return new Finding(e, Outcome.UNREADABLE, String.valueOf(ex.getMessage()).replaceAll("\\p{Cntrl}", " "));
        }
    }

    /** Hashing needs the bytes written, not kept. */
    private static final class Discard extends OutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
