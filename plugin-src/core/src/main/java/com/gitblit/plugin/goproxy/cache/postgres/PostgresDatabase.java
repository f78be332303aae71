package com.gitblit.plugin.goproxy.cache.postgres;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.StorageException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * One PostgreSQL database shared by every proxy node: a connection pool, and the schema, created and migrated on
 * start by whichever node comes first (the others wait on the same lock). A node starts even when the database is
 * down: it then migrates at its first successful connection, and until then every call fails with
 * {@link DatabaseUnavailableException}, which callers answer with "try again", never "not found".
 */
public final class PostgresDatabase implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);
    /** The newest schema this code knows; schema-1.sql ... schema-N.sql are applied in order. */
    static final int SCHEMA_VERSION = 1;
    /** Serializes schema changes across nodes ("goproxy" in ASCII). */
    private static final long MIGRATION_LOCK = 0x676f70726f7879L;
    /** Seconds a caller waits for a connection before it is told to try again (a 503, not a hung request). */
    private static final int CONNECT_SECONDS = 5;

    private final HikariDataSource pool;
    private final String description;
    private final Object migrating = new Object();
    private volatile boolean migrated;

    /** A unit of work on one connection. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    private PostgresDatabase(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database?user=...}), the password
     * read from {@code passwordFile} (null: none, or given in the URL), and brings its schema up to date.
     *
     * @throws IOException a URL that is not PostgreSQL's, an unreadable password file, or a database written by a
     *         newer version; one line for the operator. An unreachable database is not an error here.
     */
    public static PostgresDatabase open(String jdbcUrl, File passwordFile, int maxConnections) throws IOException {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IOException("the ledger URL must be jdbc:postgresql://host:port/database?user=NAME, not " + jdbcUrl);
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setUrl(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new IOException("the ledger URL cannot be read: " + e.getMessage());
        }
        if (passwordFile != null) {
            source.setPassword(readPassword(passwordFile));
        }
        source.setApplicationName("goproxy");
        source.setConnectTimeout(CONNECT_SECONDS);
        source.setLoginTimeout(CONNECT_SECONDS);
        // A database host that vanishes mid-query must not hold a request for ever.
        source.setSocketTimeout(60);
        source.setTcpKeepAlive(true);

        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("goproxy-ledger");
        config.setMaximumPoolSize(Math.max(2, maxConnections));
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECT_SECONDS * 1000L);
        config.setValidationTimeout(2000);
        // Start even when the database is down: pinned versions are still served from each node's own copy.
        config.setInitializationFailTimeout(-1);
        String description = describe(jdbcUrl);
        PostgresDatabase db = new PostgresDatabase(new HikariDataSource(config), description);
        try {
            db.call("schema", c -> null);
        } catch (DatabaseUnavailableException e) {
            LOG.warn("goproxy: the ledger database {} is unreachable ({}); pinned versions are served from this"
                    + " node's copy until it is back", description, e.getMessage());
        } catch (StorageException e) {
            db.close();
            throw new IOException("the ledger database " + description + ": " + e.getMessage());
        }
        return db;
    }

    /** The URL without credentials, for log lines and pages. */
    public String description() {
        return description;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T call(String what, Work<T> work) throws StorageException {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(what + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(String what, Work<T> work) throws StorageException {
        return call(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private Connection connection() throws SQLException, IOException {
        Connection c = pool.getConnection();
        if (!migrated) {
            try {
                migrate(c);
            } catch (SQLException | IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private void migrate(Connection c) throws SQLException, IOException {
        synchronized (migrating) {
            if (migrated) {
                return;
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS goproxy_schema (version integer NOT NULL)");
                int current;
                try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM goproxy_schema")) {
                    r.next();
                    current = r.getInt(1);
                }
                if (current > SCHEMA_VERSION) {
                    throw new IOException("it holds goproxy schema " + current + ", newer than this version knows ("
                            + SCHEMA_VERSION + "): upgrade every node before it writes");
                }
                for (int v = current + 1; v <= SCHEMA_VERSION; v++) {
                    for (String statement : script(v)) {
                        s.execute(statement);
                    }
                    s.execute("INSERT INTO goproxy_schema (version) VALUES (" + v + ")");
                }
                c.commit();
                if (current < SCHEMA_VERSION) {
                    LOG.info("goproxy: ledger database {} schema {} -> {}", description, current, SCHEMA_VERSION);
                }
                migrated = true;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The statements of schema-{@code version}.sql: separated by lines that hold only ';'. */
    static List<String> script(int version) throws IOException {
        String name = "schema-" + version + ".sql";
        try (InputStream in = PostgresDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing " + name + " in the plugin");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : new String(out.toByteArray(), StandardCharsets.UTF_8).split("\n")) {
                if (line.trim().equals(";")) {
                    add(statements, current);
                    current.setLength(0);
                } else if (!line.trim().startsWith("--")) {
                    current.append(line).append('\n');
                }
            }
            add(statements, current);
            return statements;
        }
    }

    private static void add(List<String> statements, StringBuilder statement) {
        if (statement.toString().trim().length() > 0) {
            statements.add(statement.toString().trim());
        }
    }

    /**
     * The failure to report: "try again" when the database cannot be reached (connection refused or cut, server
     * shutting down or starting, no pooled connection in time); a plain storage fault otherwise.
     */
    static StorageException failure(String what, SQLException e) {
        if (unreachable(e)) {
            return new DatabaseUnavailableException(what + ": the ledger database is unreachable: " + firstLine(e), e);
        }
        return new StorageException(what + ": " + firstLine(e), e);
    }

    static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String state = t instanceof SQLException ? ((SQLException) t).getSQLState() : null;
            // A refused login or a missing database is the operator's to fix, whatever the pool wraps it in.
            if (state != null && (state.startsWith("28") || state.equals("3D000"))) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                // 08: connection exceptions; 57P01-57P03: shut down by an administrator, crash, cannot connect now.
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(Throwable e) {
        // The pool's "no connection in time" carries the real reason (refused, wrong password) as its cause.
        if (e instanceof SQLTransientConnectionException && e.getCause() != null) {
            return firstLine(e.getCause());
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the pool drops it
        }
    }

    private static String readPassword(File file) throws IOException {
        try {
            String text = new String(Files.readAllBytes(file.toPath()), StandardCharsets.UTF_8);
            // One trailing newline is what editors and `echo` leave; the password is the line.
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new IOException("cannot read the ledger password file " + file + ": " + e.getMessage());
        }
    }

    private static String describe(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    @Override
    public void close() {
        pool.close();
    }
}
