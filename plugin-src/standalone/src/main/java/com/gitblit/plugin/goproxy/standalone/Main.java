package com.gitblit.plugin.goproxy.standalone;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import com.gitblit.plugin.goproxy.guard.ClientAddresses;
import com.gitblit.plugin.goproxy.guard.PasswordGuard;
import com.gitblit.plugin.goproxy.service.ProxySettings;

/**
 * {@code java -jar goproxy-standalone.jar}: the Go module proxy over a folder of bare repositories.
 * Usage errors print a message and exit 2; {@code --help} prints usage and exits 0.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: java -jar goproxy-standalone.jar --repos DIR [options]",
            "       java -jar goproxy-standalone.jar demo [--dir DIR] [--listen HOST:PORT]",
            "       java -jar goproxy-standalone.jar hash-password USER   (reads the password from stdin)",
            "       java -jar goproxy-standalone.jar token create|list|revoke --users FILE ... USER  (Go access tokens)",
            "       java -jar goproxy-standalone.jar ledger list|forget|verify|migrate --data DIR ...  (a stopped server's ledger)",
            "",
            "Serves the Go module proxy protocol at /go/ for the bare git repositories below DIR:",
            "module path = [PREFIX/]<repository path without .git>[/subdir][/vN].",
            "",
            "options:",
            "  --repos DIR               folder of bare repositories (required)",
            "  --prefix PREFIX           module path prefix, e.g. git.example.com (default: none)",
            "  --listen HOST:PORT        HTTP address (default 127.0.0.1:8080; \"off\" for none)",
            "  --https-listen HOST:PORT  HTTPS address (needs --tls-cert/--tls-key or --keystore)",
            "  --tls-cert FILE           PEM certificate chain",
            "  --tls-key FILE            PEM PKCS#8 private key",
            "  --keystore FILE           PKCS12 or JKS keystore instead of PEM files",
            "  --keystore-password PASS  its password",
            "  --users FILE              users file (lines from hash-password); makes repositories private; Go access",
            "                            tokens (token create) are kept in its folder",
            "  --access FILE             read rules: \"<repository glob> <user|*|anonymous>...\" per line",
            "  --data DIR                version ledger and artifact cache (default: none, answers from git only)",
            "  --ledger URL              version ledger shared by several nodes: jdbc:postgresql://HOST:PORT/DB?user=NAME",
            "                            (needs --data, for the artifact cache and this node's copy of the ledger)",
            "  --ledger-password-file FILE  the ledger database user's password",
            "  --cache-max-size SIZE     artifact cache limit, e.g. 500m, 2g (default 2g)",
            "  --max-builds N            concurrent zip builds (default: CPUs, at least 2)",
            "  --prebuild-interval S     look for new version tags every S seconds and build their zips ahead of",
            "                            the first download (needs --data; default 0: off)",
            "  --no-legacy-versions      do not serve versions without a go.mod",
            "  --serve-foreign-module-paths  serve explicit requests for versions whose go.mod names another module",
            "  --build-queue-timeout S   seconds a request waits for a build slot before 503 (default 30)",
            "  --access-log FILE         append one line per request (NCSA extended format) to FILE (default: none)",
            "  --trusted-proxies LIST    reverse proxies (IPs, CIDR ranges) whose X-Forwarded-For/-Proto count",
            "  --max-password-checks N   password checks running at once, beyond: 429 (default: CPUs/2, at least 2)",
            "  --allow-http-credentials  accept Basic credentials over plain HTTP from other hosts (default: 403)",
            "  --max-downloads N         .zip/.mod responses streaming at once (default 150)",
            "  --max-downloads-per-client N  the same per client address (default 32)",
            "  --write-timeout SECONDS   cut off a client that takes longer to read 32 KiB of an answer, 0 for never (default 15)",
            "  --header-timeout SECONDS  longest time for a request's headers to arrive (default 10)",
            "  --max-threads N           worker threads (default 200)",
            "  --metrics-token-file FILE serve Prometheus metrics at /go/-/metrics to requests with",
            "                            \"Authorization: Bearer <the file's first line>\" (default: no metrics)",
            "  --upstream LIST           dependency proxy for modules outside --prefix: proxy URLs joined by , or |",
            "                            (GOPROXY syntax, \"off\" allowed, \"direct\" not); needs --prefix and --data",
            "  --upstream-access WHO     authenticated (default with --users) or anonymous",
            "  --upstream-allow GLOBS    module path patterns that may be fetched (GOPRIVATE syntax; default all)",
            "  --upstream-deny GLOBS     module path patterns never fetched (deny wins)",
            "  --upstream-metadata-ttl S seconds lists, @latest and queries are reused (default 600)",
            "  --upstream-sumdbs LIST    checksum databases, GOSUMDB syntax, comma-separated (default sum.golang.org)",
            "  --upstream-no-sum-check GLOBS  modules fetched without checksum database verification",
            "  --upstream-timeout S      seconds an upstream may stay silent (default 60)",
            "  --help                    this text",
            "");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Returns an exit code, or -1 when a server was started and keeps running. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("hash-password")) {
            return hashPassword(args, out, err);
        }
        if (args.length > 0 && args[0].equals("token")) {
            return TokenCommand.run(args, out, err);
        }
        if (args.length > 0 && args[0].equals("ledger")) {
            return LedgerCommand.run(args, out, err);
        }
        if (args.length > 0 && args[0].equals("demo")) {
            return Demo.run(args, out, err);
        }
        StandaloneServer.Config config;
        try {
            config = parse(args);
        } catch (UsageException e) {
            err.println("goproxy: " + e.getMessage());
            err.println("run with --help for usage");
            return 2;
        }
        StandaloneServer server;
        try {
            server = StandaloneServer.start(config);
        } catch (java.io.IOException e) {
            // A data folder or repository folder that cannot be used: the operator needs the reason, not a trace.
            err.println("goproxy: cannot start: " + e.getMessage());
            return 1;
        }
        out.println("goproxy: serving " + config.repositories + " at"
                + (server.httpPort() >= 0 ? " http://" + config.httpHost + ":" + server.httpPort() + "/go/" : "")
                + (server.httpsPort() >= 0 ? " https://" + config.httpsHost + ":" + server.httpsPort() + "/go/" : ""));
        server.join();
        return -1;
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static StandaloneServer.Config parse(String[] args) throws Exception {
        StandaloneServer.Config c = new StandaloneServer.Config();
        ProxySettings.Builder settings = ProxySettings.builder();
        String listen = "127.0.0.1:8080";
        String httpsListen = null;
        String cert = null;
        String key = null;
        String keystore = null;
        String keystorePassword = "";
        Path users = null;
        Path access = null;
        boolean hasData = false;
        String ledger = null;
        java.io.File ledgerPassword = null;
        java.util.Map<String, String> upstream = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--no-legacy-versions")) {
                settings.serveLegacyVersions(false);
                continue;
            }
            if (a.equals("--serve-foreign-module-paths")) {
                settings.serveForeignModulePaths(true);
                continue;
            }
            if (a.equals("--allow-http-credentials")) {
                c.allowHttpCredentials(true);
                continue;
            }
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument " + a);
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs a value");
                }
                v = args[++i];
            }
            if (a.equals("--upstream") || a.startsWith("--upstream-")) {
                String setting = upstreamKey(a);
                if (setting == null) {
                    throw new UsageException("unknown option " + a);
                }
                upstream.put(setting, v);
                continue;
            }
            switch (a) {
                case "--repos":
                    c.repositories = Paths.get(v);
                    break;
                case "--prefix":
                    c.prefix = v;
                    break;
                case "--listen":
                    listen = v;
                    break;
                case "--https-listen":
                    httpsListen = v;
                    break;
                case "--tls-cert":
                    cert = v;
                    break;
                case "--tls-key":
                    key = v;
                    break;
                case "--keystore":
                    keystore = v;
                    break;
                case "--keystore-password":
                    keystorePassword = v;
                    break;
                case "--users":
                    users = Paths.get(v);
                    break;
                case "--access":
                    access = Paths.get(v);
                    break;
                case "--data":
                    settings.dataDirectory(Paths.get(v).toFile());
                    hasData = true;
                    break;
                case "--ledger":
                    ledger = v;
                    break;
                case "--ledger-password-file":
                    ledgerPassword = Paths.get(v).toFile();
                    break;
                case "--cache-max-size":
                    settings.cacheMaxBytes(size(v));
                    break;
                case "--max-builds":
                    settings.maxConcurrentBuilds(positive(a, v));
                    break;
                case "--build-queue-timeout":
                    settings.buildQueueTimeoutMillis(1000L * positive(a, v));
                    break;
                case "--trusted-proxies":
                    try {
                        c.trustedProxies(ClientAddresses.trusting(v));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--trusted-proxies: " + e.getMessage());
                    }
                    break;
                case "--max-password-checks":
                    c.passwordChecks(new PasswordGuard.Settings().maxConcurrentChecks(positive(a, v)));
                    break;
                case "--max-downloads":
                    c.maxDownloads(positive(a, v), c.maxDownloadsPerClient);
                    break;
                case "--max-downloads-per-client":
                    c.maxDownloads(c.maxDownloads, positive(a, v));
                    break;
                case "--write-timeout":
                    c.writeTimeout(1000L * nonNegative(a, v));
                    break;
                case "--access-log":
                    c.accessLog(Paths.get(v));
                    break;
                case "--header-timeout":
                    c.headerTimeout(1000L * positive(a, v));
                    break;
                case "--prebuild-interval":
                    c.prebuildInterval(nonNegative(a, v));
                    break;
                case "--max-threads":
                    c.maxThreads(Math.max(16, positive(a, v)));
                    break;
                case "--metrics-token-file":
                    c.metricsToken(metricsToken(Paths.get(v)));
                    break;
                default:
                    throw new UsageException("unknown option " + a);
            }
        }
        if (c.repositories == null) {
            throw new UsageException("--repos is required");
        }
        if (!Files.isDirectory(c.repositories)) {
            throw new UsageException("--repos " + c.repositories + " is not a directory");
        }
        if (!listen.equals("off")) {
            String[] hp = hostPort("--listen", listen);
            c.http(hp[0], Integer.parseInt(hp[1]));
        }
        if (httpsListen != null) {
            String[] hp = hostPort("--https-listen", httpsListen);
            TlsMaterial tls;
            if (keystore != null) {
                tls = TlsMaterial.keystore(Paths.get(keystore), keystorePassword);
            } else if (cert != null && key != null) {
                tls = TlsMaterial.pem(Paths.get(cert), Paths.get(key));
            } else {
                throw new UsageException("--https-listen needs --tls-cert and --tls-key, or --keystore");
            }
            c.https(hp[0], Integer.parseInt(hp[1]), tls);
        }
        if (c.httpPort < 0 && c.httpsPort < 0) {
            throw new UsageException("nothing to listen on: --listen off and no --https-listen");
        }
        if (access != null && users == null) {
            throw new UsageException("--access needs --users");
        }
        c.users(users, access);
        if (c.prebuildIntervalSeconds > 0 && !hasData) {
            throw new UsageException("--prebuild-interval needs --data: pre-built zips are kept in its cache");
        }
        if (ledgerPassword != null && (ledger == null || ledger.trim().isEmpty())) {
            throw new UsageException("--ledger-password-file needs --ledger");
        }
        if (ledger != null && !ledger.trim().isEmpty() && !hasData) {
            throw new UsageException("--ledger needs --data: each node keeps its artifact cache and its copy of the"
                    + " ledger there");
        }
        settings.ledger(ledger, ledgerPassword);
        settings.upstream(upstreamSettings(upstream, c, users != null));
        c.settings(settings.build());
        return c;
    }

    /** The token is the file's first line: kept out of the command line, where any local user could read it. */
    private static String metricsToken(Path file) throws UsageException {
        String token;
        try {
            java.util.List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            token = lines.isEmpty() ? "" : lines.get(0).trim();
        } catch (java.io.IOException e) {
            throw new UsageException("--metrics-token-file " + file + ": cannot read it: " + e.getMessage());
        }
        if (token.length() < 16) {
            throw new UsageException("--metrics-token-file " + file + ": the token (its first line) needs at least 16 characters");
        }
        return token;
    }

    private static final String[] UPSTREAM_KEYS = {"upstream", "upstreamAccess", "upstreamAllow", "upstreamDeny",
        "upstreamMetadataTtl", "upstreamSumdbs", "upstreamNoSumCheck", "upstreamTimeout"};

    /** The settings key ({@code upstreamMetadataTtl}) of a flag ({@code --upstream-metadata-ttl}), or null. */
    private static String upstreamKey(String flag) {
        for (String key : UPSTREAM_KEYS) {
            if (upstreamFlag(key).equals(flag)) {
                return key;
            }
        }
        return null;
    }

    private static String upstreamFlag(String key) {
        return "--" + key.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private static com.gitblit.plugin.goproxy.upstream.UpstreamSettings upstreamSettings(
            java.util.Map<String, String> values, StandaloneServer.Config c, boolean hasUsers) throws UsageException {
        if (!hasUsers) {
            // Without a users file nobody has an account: whoever reaches the server may use it.
            values.put("upstreamAccess", "anonymous");
        }
        com.gitblit.plugin.goproxy.upstream.UpstreamSettings up;
        try {
            up = com.gitblit.plugin.goproxy.upstream.UpstreamConfig.read(values::get, Main::upstreamFlag);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (up == null) {
            return null;
        }
        if (c.prefix == null || c.prefix.isEmpty()) {
            throw new UsageException("--upstream needs a non-empty --prefix: with an empty prefix every module path"
                    + " is this server's own, and none would be fetched");
        }
        return up;
    }

    private static String[] hostPort(String flag, String v) throws UsageException {
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new UsageException(flag + " wants HOST:PORT, not " + v);
        }
        String host = colon == 0 ? "0.0.0.0" : v.substring(0, colon);
        String port = v.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": bad port " + port);
        }
        return new String[] {host, port};
    }

    private static int nonNegative(String flag, String v) throws UsageException {
        return "0".equals(v.trim()) ? 0 : positive(flag, v);
    }

    private static int positive(String flag, String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + " wants a positive number, not " + v);
    }

    static long size(String v) throws UsageException {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        try {
            return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            throw new UsageException("bad size " + v + " (want e.g. 500m or 2g)");
        }
    }

    private static int hashPassword(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length != 2 || args[1].contains(":") || args[1].isEmpty()) {
            err.println("usage: java -jar goproxy-standalone.jar hash-password USER  (USER without ':')");
            return 2;
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("password for %s: ", args[1]);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            err.println("goproxy: empty password");
            return 2;
        }
        out.println(UsersFile.line(args[1], password));
        return 0;
    }
}
