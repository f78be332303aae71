package com.gitblit.plugin.goproxy.cache.postgres;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import com.gitblit.plugin.goproxy.sumdb.NoteSigner;
import com.gitblit.plugin.goproxy.sumdb.SumdbException;

/**
 * The checksum database's signing key in the shared database, so that every node signs with the same key (Ed25519
 * signatures are deterministic: every node's signed head of a tree is then byte for byte the same). The first node
 * creates it; a node that finds one already there uses it. Whoever can read the table can sign as the database.
 */
public final class PostgresSumdbKey {
    private PostgresSumdbKey() {
    }

    /**
     * The signer for the database {@code name}, created at the first call on an empty database. A key made for
     * another name is refused: clients trust a name and a key together.
     *
     * @throws DatabaseUnavailableException the database cannot be reached now
     */
    public static NoteSigner signer(PostgresDatabase db, String name) throws IOException, SumdbException {
        String text = db.call("reading the checksum database key", PostgresSumdbKey::read);
        if (text == null) {
            NoteSigner fresh = NoteSigner.generate(name, new SecureRandom());
            // Two nodes starting together may both generate one: the first insert wins, and both read it back.
            text = db.transaction("storing the checksum database key", c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO goproxy_sumdb_key (signer_key)"
                        + " VALUES (?) ON CONFLICT DO NOTHING")) {
                    s.setString(1, fresh.signerKey());
                    s.executeUpdate();
                }
                return read(c);
            });
        }
        NoteSigner signer = NoteSigner.parse(text);
        if (!signer.name().equals(name)) {
            throw new SumdbException("the checksum database key in " + db.description() + " is for " + signer.name()
                    + ", but the module namespace is now " + name + ": start a new database (see"
                    + " docs/checksum-database.md; clients must then trust its new key)");
        }
        return signer;
    }

    /**
     * Stores a node's own key as the shared one (when a node's checksum database moves into the shared database):
     * nothing changes when it is already there; another key already there is refused.
     */
    public static void copy(NoteSigner key, PostgresDatabase db) throws IOException {
        String stored = db.transaction("storing the checksum database key", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO goproxy_sumdb_key (signer_key)"
                    + " VALUES (?) ON CONFLICT DO NOTHING")) {
                s.setString(1, key.signerKey());
                s.executeUpdate();
            }
            return read(c);
        });
        if (!key.signerKey().equals(stored)) {
            throw new IOException("the shared database already holds another checksum database key: the log and"
                    + " key of this node cannot be moved into it");
        }
    }

    private static String read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT signer_key FROM goproxy_sumdb_key");
                ResultSet r = s.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
