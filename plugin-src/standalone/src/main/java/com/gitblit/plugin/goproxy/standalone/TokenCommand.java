package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import com.gitblit.plugin.goproxy.token.TokenRecord;
import com.gitblit.plugin.goproxy.token.TokenStore;

/**
 * {@code java -jar goproxy-standalone.jar token create|list|revoke ... USER}: the Go access tokens of the users
 * of a users file, kept in that file's folder. A running server sees the change within a second. Usage errors exit
 * 2, an unknown user or token 1.
 */
final class TokenCommand {
    static final String USAGE = String.join("\n",
            "usage: java -jar goproxy-standalone.jar token create --users FILE [--name NAME] [--expires-days N] USER",
            "       java -jar goproxy-standalone.jar token list --users FILE USER|--all",
            "       java -jar goproxy-standalone.jar token revoke --users FILE USER ID|NAME",
            "create prints the new token (only this once) on standard output; the .netrc line goes to standard error.",
            "");

    private TokenCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>();
        Path users = null;
        String name = null;
        String days = null;
        boolean all = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--all")) {
                all = true;
            } else if (a.equals("--users") || a.equals("--name") || a.equals("--expires-days")) {
                if (i + 1 >= args.length) {
                    return usage(err, a + " needs a value");
                }
                String v = args[++i];
                if (a.equals("--users")) {
                    users = Paths.get(v);
                } else if (a.equals("--name")) {
                    name = v;
                } else {
                    days = v;
                }
            } else if (a.startsWith("--")) {
                return usage(err, "unknown option " + a);
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty()) {
            return usage(err, "token needs create, list or revoke");
        }
        if (users == null) {
            return usage(err, "--users FILE is required (the tokens live in its folder)");
        }
        try {
            if (!Files.isRegularFile(users)) {
                err.println("goproxy: no users file " + users);
                return 1;
            }
            UsersFile file = UsersFile.load(users);
            TokenStore store = StandaloneTokens.storeBeside(users);
            String verb = rest.get(0);
            switch (verb) {
                case "create":
                    if (rest.size() != 2) {
                        return usage(err, "token create takes one USER");
                    }
                    return create(file, store, rest.get(1), name, days, out, err);
                case "list":
                    if (all ? rest.size() != 1 : rest.size() != 2) {
                        return usage(err, "token list takes one USER, or --all");
                    }
                    return list(store, all ? null : rest.get(1), out);
                case "revoke":
                    if (rest.size() != 3) {
                        return usage(err, "token revoke takes USER and the token's ID or NAME");
                    }
                    return revoke(store, rest.get(1), rest.get(2), out, err);
                default:
                    return usage(err, "unknown token command " + verb);
            }
        } catch (IOException e) {
            err.println("goproxy: " + e.getMessage());
            return 1;
        }
    }

    private static int create(UsersFile users, TokenStore store, String user, String name, String days,
            PrintStream out, PrintStream err) throws IOException {
        if (!users.has(user)) {
            err.println("goproxy: no user " + user + " in the users file");
            return 1;
        }
        long expires = 0;
        if (days != null) {
            try {
                int n = Integer.parseInt(days);
                if (n < 1 || n > 3660) {
                    throw new NumberFormatException();
                }
                expires = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(n);
            } catch (NumberFormatException e) {
                return usage(err, "--expires-days wants a number of days from 1 to 3660");
            }
        }
        TokenStore.Created c;
        try {
            c = store.create(user, users.anchorOf(user), name == null ? "cli" : name, expires);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        out.println(c.token.text());
        err.println("goproxy: created token " + c.record.id() + " \"" + c.record.name() + "\" for " + user
                + (expires == 0 ? ", no expiry" : ", expires " + time(expires)) + ". It is shown only this once.");
        err.println("goproxy: .netrc line: machine <proxy host> login " + user + " password <the token above>");
        return 0;
    }

    private static int list(TokenStore store, String user, PrintStream out) {
        List<TokenRecord> records = user == null ? store.list() : store.list(user, false);
        out.println("ID\tOWNER\tNAME\tCREATED\tLAST USED\tEXPIRES");
        long now = System.currentTimeMillis();
        for (TokenRecord r : records) {
            out.println(r.id() + "\t" + r.owner() + "\t" + r.name() + "\t" + time(r.created()) + "\t"
                    + (r.lastUsed() == 0 ? "never" : time(r.lastUsed())) + "\t"
                    + (r.expires() == 0 ? "never" : time(r.expires()) + (r.isExpired(now) ? " (expired)" : "")));
        }
        return 0;
    }

    private static int revoke(TokenStore store, String user, String which, PrintStream out, PrintStream err)
            throws IOException {
        int n = 0;
        for (TokenRecord r : store.list(user, false)) {
            if ((r.id().equals(which) || r.name().equals(which)) && store.revoke(r.id())) {
                out.println("revoked " + r.id() + " \"" + r.name() + "\" of " + user);
                n++;
            }
        }
        if (n == 0) {
            err.println("goproxy: " + user + " has no token " + which);
            return 1;
        }
        return 0;
    }

    private static int usage(PrintStream err, String why) {
        err.println("goproxy: " + why);
        err.print(USAGE);
        return 2;
    }

    private static String time(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }
}
