package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.plugin.goproxy.cache.DataFolderFormat;
import com.gitblit.plugin.goproxy.cache.DataFolderLock;
import com.gitblit.plugin.goproxy.cache.FileVersionLedger;
import com.gitblit.plugin.goproxy.cache.LedgerEntry;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;
import com.gitblit.plugin.goproxy.cache.postgres.PostgresLedger;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.LedgerVerifier;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ModuleServices;
import com.gitblit.plugin.goproxy.service.ProxySettings;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;

/**
 * {@code java -jar goproxy-standalone.jar ledger list|forget|verify ...}: the version ledger of a data folder no
 * server is using (each command takes the folder's lock, which a running server holds, and refuses without it).
 * {@code list} prints the pinned versions; {@code forget} unpins one and drops its cached files; {@code verify}
 * re-derives every pinned version's hashes from the repositories, with the server's own flags, and changes nothing.
 * {@code migrate} copies the folder's file ledger into a PostgreSQL ledger, first writer wins: entries already there
 * with the same values count as done (so it can be run again), a conflicting one is reported and left as the
 * database has it.
 * Usage errors exit 2; a refused lock, an unknown version, a problem found by verify or a conflict exit 1.
 */
final class LedgerCommand {
    static final String USAGE = String.join("\n",
            "usage: java -jar goproxy-standalone.jar ledger list --data DIR [--ledger URL ...] [MODULE]",
            "       java -jar goproxy-standalone.jar ledger forget --data DIR [--ledger URL ...] MODULE VERSION",
            "       java -jar goproxy-standalone.jar ledger verify --data DIR --repos DIR [the server's other flags]",
            "       java -jar goproxy-standalone.jar ledger migrate --data DIR --to JDBC_URL [--password-file FILE]",
            "All four refuse to run while a server uses DIR: stop it first.",
            "");

    private LedgerCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            return usage(err, "ledger needs list, forget, verify or migrate");
        }
        String verb = args[1];
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        try {
            switch (verb) {
                case "list":
                case "forget":
                    return listOrForget(verb, rest, out, err);
                case "verify":
                    return verify(rest, out, err);
                case "migrate":
                    return migrate(rest, out, err);
                default:
                    return usage(err, "ledger needs list, forget, verify or migrate, not " + verb);
            }
        } catch (IOException e) {
            err.println("goproxy: " + e.getMessage());
            return 1;
        }
    }

    private static int listOrForget(String verb, String[] args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> flags = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.indexOf('=') > 0 ? a.substring(0, a.indexOf('=')) : a;
            if (Arrays.asList("--data", "--ledger", "--ledger-password-file").contains(name)) {
                String v = !name.equals(a) ? a.substring(name.length() + 1) : i + 1 < args.length ? args[++i] : null;
                if (v == null || v.isEmpty()) {
                    return usage(err, name + " needs a value");
                }
                flags.put(name, v);
            } else if (a.startsWith("--")) {
                return usage(err, "unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (!flags.containsKey("--data")) {
            return usage(err, "--data DIR is required");
        }
        Path data = Paths.get(flags.get("--data"));
        // A server with --ledger pins into the database: list and forget there, with its flags.
        String url = flags.get("--ledger");
        java.io.File password = flags.containsKey("--ledger-password-file")
                ? new java.io.File(flags.get("--ledger-password-file")) : null;
        if (verb.equals("list") ? positional.size() > 1 : positional.size() != 2) {
            return usage(err, verb.equals("list") ? "ledger list takes at most one MODULE"
                    : "ledger forget takes MODULE VERSION");
        }
        Path ledgerFolder = url == null ? requireLedger(data) : null;
        try (DataFolderLock lock = DataFolderLock.acquire(data, owner(verb))) {
            if (verb.equals("list")) {
                String module = positional.isEmpty() ? null : positional.get(0);
                if (url == null) {
                    list(new FileVersionLedger(ledgerFolder), module, out);
                } else {
                    try (PostgresDatabase database = PostgresDatabase.open(url, password, 2)) {
                        list(new PostgresLedger(database), module, out);
                    }
                }
                return 0;
            }
            return forget(ProxySettings.builder().dataDirectory(data.toFile()).ledger(url, password).build(),
                    positional.get(0), positional.get(1), out, err);
        }
    }

    private static void list(com.gitblit.plugin.goproxy.cache.VersionLedger ledger, String onlyModule, PrintStream out)
            throws IOException {
        List<String> modules = onlyModule == null ? ledger.modules() : java.util.Collections.singletonList(onlyModule);
        out.println("MODULE\tVERSION\tCOMMIT\tREPOSITORY\tZIP\tMOD\tFIRST PINNED");
        for (String module : modules) {
            List<LedgerEntry> entries = new ArrayList<>(ledger.list(module));
            entries.sort(Comparator.comparing(LedgerEntry::version));
            for (LedgerEntry e : entries) {
                out.println(e.modulePath() + '\t' + e.version() + '\t' + e.commit() + '\t' + dash(e.repositoryKey())
                        + '\t' + dash(e.zipH1()) + '\t' + dash(e.modH1()) + '\t' + time(e.recordedAt()));
            }
        }
    }

    /** Through the module service, as a server would forget it: ledger entry and cached files together. */
    private static int forget(ProxySettings settings, String module, String version, PrintStream out,
            PrintStream err) throws IOException {
        Path data = settings.dataDirectory().toPath();
        // A version in the checksum database stays pinned: its log never changes (docs/checksum-database.md).
        if (settings.ledgerUrl() != null) {
            // Nodes on a shared ledger share one log, in the same database.
            try (PostgresDatabase database = PostgresDatabase.open(settings.ledgerUrl(), settings.ledgerPasswordFile(),
                    2)) {
                if (new com.gitblit.plugin.goproxy.cache.postgres.PostgresChecksumLog(database).find(module,
                        version) >= 0) {
                    err.println("goproxy: " + module + "@" + version + " is in the checksum database, whose log never"
                            + " changes: it stays pinned (its cached files can still be purged)");
                    return 1;
                }
            }
        }
        java.nio.file.Path log = data.resolve("sumdb").resolve("log");
        if (settings.ledgerUrl() == null && java.nio.file.Files.isDirectory(log)) {
            try (com.gitblit.plugin.goproxy.cache.ChecksumLog sums = com.gitblit.plugin.goproxy.cache.ChecksumLog.open(log)) {
                if (sums.find(module, version) >= 0) {
                    err.println("goproxy: " + module + "@" + version + " is in the checksum database, whose log never"
                            + " changes: it stays pinned (its cached files can still be purged)");
                    return 1;
                }
            } catch (com.gitblit.plugin.goproxy.sumdb.SumdbException e) {
                err.println("goproxy: refusing to forget while the checksum database log cannot be read: "
                        + e.getMessage());
                return 1;
            }
        }
        try (ModuleService service = ModuleServices.create(settings)) {
            if (!service.forgetVersion(module, version)) {
                err.println("goproxy: " + module + "@" + version + " is not pinned in "
                        + (settings.ledgerUrl() != null ? "the ledger database" : data.toString()));
                return 1;
            }
        }
        out.println("forgot " + module + "@" + version + ": the next download pins it afresh where its tag points then;"
                + " clients whose go.sum holds the old hashes fail until they drop them");
        return 0;
    }

    private static int verify(String[] args, PrintStream out, PrintStream err) throws IOException {
        StandaloneServer.Config config;
        try {
            config = Main.parse(args);
        } catch (Main.UsageException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            return usage(err, String.valueOf(e.getMessage()));
        }
        if (config.settings.dataDirectory() == null) {
            return usage(err, "ledger verify needs --data DIR");
        }
        Path data = config.settings.dataDirectory().toPath();
        // With the server's --ledger, the database's ledger is verified; else the folder's own.
        boolean shared = config.settings.ledgerUrl() != null;
        Path ledgerFolder = shared ? null : requireLedger(data);
        try (DataFolderLock lock = DataFolderLock.acquire(data, owner("verify"));
                PostgresDatabase database = shared ? PostgresDatabase.open(config.settings.ledgerUrl(),
                        config.settings.ledgerPasswordFile(), 2) : null) {
            com.gitblit.plugin.goproxy.cache.VersionLedger ledger = shared ? new PostgresLedger(database)
                    : new FileVersionLedger(ledgerFolder);
            // The users file decides who may read, not what a version is: verification sees every repository.
            FolderModuleHost host = new FolderModuleHost(config.repositories, config.prefix, AccessPolicy.open());
            Map<String, HostedRepository> byName = new HashMap<>();
            for (HostedRepository r : host.allRepositories()) {
                byName.put(r.name(), r);
            }
            List<LedgerVerifier.Finding> findings =
                    new LedgerVerifier(config.settings, ledger, byName).verify();
            Map<LedgerVerifier.Outcome, Integer> counts = new EnumMap<>(LedgerVerifier.Outcome.class);
            for (LedgerVerifier.Finding f : findings) {
                out.println(f);
                counts.merge(f.outcome(), 1, Integer::sum);
            }
            StringBuilder summary = new StringBuilder().append(findings.size()).append(" pinned versions");
            for (Map.Entry<LedgerVerifier.Outcome, Integer> c : counts.entrySet()) {
                summary.append(", ").append(c.getValue()).append(' ').append(c.getKey().name().toLowerCase(Locale.ROOT));
            }
            out.println(summary.append("; nothing was changed"));
            for (LedgerVerifier.Outcome o : counts.keySet()) {
                if (o.isProblem()) {
                    return 1;
                }
            }
            return 0;
        }
    }

    private static int migrate(String[] args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (!Arrays.asList("--data", "--to", "--password-file").contains(a)) {
                return usage(err, a.startsWith("--") ? "unknown option " + a : "unexpected argument " + a);
            }
            if (v == null) {
                v = i + 1 < args.length ? args[++i] : null;
            }
            if (v == null || v.isEmpty()) {
                return usage(err, a + " needs a value");
            }
            flags.put(a, v);
        }
        if (!flags.containsKey("--data") || !flags.containsKey("--to")) {
            return usage(err, "ledger migrate needs --data DIR and --to JDBC_URL");
        }
        Path data = Paths.get(flags.get("--data"));
        Path ledgerFolder = requireLedger(data);
        java.io.File password = flags.containsKey("--password-file") ? new java.io.File(flags.get("--password-file")) : null;
        try (DataFolderLock lock = DataFolderLock.acquire(data, owner("migrate"));
                PostgresDatabase database = PostgresDatabase.open(flags.get("--to"), password, 2)) {
            FileVersionLedger from = new FileVersionLedger(ledgerFolder);
            PostgresLedger to = new PostgresLedger(database);
            Map<PostgresLedger.Adopted, Integer> counts = new EnumMap<>(PostgresLedger.Adopted.class);
            for (PostgresLedger.Adopted a : PostgresLedger.Adopted.values()) {
                counts.put(a, 0);
            }
            for (String module : from.modules()) {
                List<LedgerEntry> entries = new ArrayList<>(from.list(module));
                entries.sort(Comparator.comparing(LedgerEntry::version));
                for (LedgerEntry e : entries) {
                    PostgresLedger.Adopted outcome = to.adopt(e);
                    counts.merge(outcome, 1, Integer::sum);
                    if (outcome == PostgresLedger.Adopted.CONFLICT) {
                        LedgerEntry held = to.find(e.modulePath(), e.version());
                        err.println("goproxy: conflict: " + e.modulePath() + "@" + e.version() + ": this folder has "
                                + describe(e) + ", the database " + (held == null ? "nothing" : describe(held))
                                + "; left as the database has it");
                    }
                }
            }
            int conflicts = counts.get(PostgresLedger.Adopted.CONFLICT);
            out.println("migrated " + ledgerFolder + " into " + database.description() + ": "
                    + counts.get(PostgresLedger.Adopted.COPIED) + " copied, "
                    + counts.get(PostgresLedger.Adopted.ALREADY_THERE) + " already there, " + conflicts + " conflicting"
                    + (conflicts > 0 ? " (not copied: see above)" : ""));
            boolean sumdbRefused = !migrateChecksumDatabase(data, database, out, err);
            out.println("audit log: " + AuditLog.copyInto(data, database) + " lines copied");
            if (conflicts > 0 || sumdbRefused) {
                return 1;
            }
            Files.write(DataFolderFormat.ledgerMigrated(data), ("copied into " + database.description() + " at "
                    + time(System.currentTimeMillis()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return 0;
        }
    }

    /**
     * The folder's own checksum database (key and log) becomes the shared one, so that clients keep the key they
     * trust and every record keeps its id. Only into an empty shared database, or one that already holds this very
     * log: two logs cannot be merged without changing ids clients have seen.
     */
    private static boolean migrateChecksumDatabase(Path data, PostgresDatabase database, PrintStream out,
            PrintStream err) throws IOException {
        try {
            long copied = ForgeChecksumDatabase.copyToDatabase(data.toFile(), database);
            out.println(copied < 0 ? "checksum database: none in this folder"
                    : "checksum database: key and " + copied + " records copied");
            return true;
        } catch (SumdbException | IOException e) {
            err.println("goproxy: checksum database not copied: " + e.getMessage());
            return false;
        }
    }

    private static String describe(LedgerEntry e) {
        return "commit " + e.commit() + " zip " + dash(e.zipH1()) + " mod " + dash(e.modH1());
    }

    private static Path requireLedger(Path data) throws IOException {
        Path ledger = DataFolderFormat.ledger(data);
        if (!Files.isDirectory(ledger)) {
            throw new IOException("no version ledger in " + data + " (expected " + ledger + ")");
        }
        return ledger;
    }

    static String owner(String what) {
        return "goproxy " + what + " (" + ManagementFactory.getRuntimeMXBean().getName() + ")";
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    private static String time(long millis) {
        if (millis <= 0) {
            return "-";
        }
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new java.util.Date(millis));
    }

    private static int usage(PrintStream err, String why) {
        err.println("goproxy: " + why);
        err.print(USAGE);
        return 2;
    }
}
