package dev.millwright.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The PostgreSQL database: a HikariCP pool, Jdbi on top of it, and the Flyway migrations, which run on
 * {@link #connect}. Several Millwright replicas may share one database; migrations take Flyway's lock.
 */
public final class Database implements AutoCloseable {
    /** Connections in the pool: enough for the API's request threads on a small machine, few enough for PostgreSQL. */
    public static final int DEFAULT_POOL_SIZE = 16;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String url;
    private final String user;
    private final String password;

    private Database(HikariDataSource dataSource, String url, String user, String password) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Connects to {@code url}, migrates the schema to the newest version, and returns the ready database.
     *
     * @param url a {@code jdbc:postgresql://} URL
     */
    public static Database connect(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db-url must be a jdbc:postgresql:// URL, got " + url);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(DEFAULT_POOL_SIZE);
        config.setPoolName("millwright");
        config.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, url, user, password);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Opens a connection outside the pool, for LISTEN, which holds its connection for as long as it listens. */
    public java.sql.Connection openDedicatedConnection() throws java.sql.SQLException {
        java.util.Properties props = new java.util.Properties();
        if (user != null) props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        return new org.postgresql.Driver().connect(url, props);
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
