package dev.millwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer tokens: their shape, who they authenticate, what does not, and that the secret is never stored. */
class TokensTest {
    private static Database db;
    private TestClock clock;
    private Tokens tokens;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("tokens");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void start() {
        clock = TestClock.atEpochDay();
        tokens = new Tokens(db, clock);
    }

    private Tokens.Issued issueForAlice(Duration ttl) {
        return tokens.issue("User", "", "alice", null, "laptop", ttl, "user:admin");
    }

    private static String secretOf(String token) {
        return token.substring("mw_".length() + 16 + 1);
    }

    @Test
    void anIssuedTokenHasTheDocumentedShapeAndAuthenticatesItsSubject() {
        Tokens.Issued issued = issueForAlice(Duration.ofHours(1));
        assertThat(issued.token()).matches("mw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(issued.token()).startsWith("mw_" + issued.record().id() + "_");

        TokenRecord record = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(record).isEqualTo(issued.record());
        assertThat(record.subjectKind()).isEqualTo("User");
        assertThat(record.subject()).isEqualTo("alice");
        assertThat(record.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(tokens.find(record.id())).contains(record);
    }

    @Test
    void aServiceAccountTokenCarriesItsTenant() {
        Tokens.Issued issued = tokens.issue("ServiceAccount", "acme", "ci", null, null, null, "user:alice");
        TokenRecord record = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(record.tenant()).isEqualTo("acme");
        assertThat(record.description()).isEmpty();
        assertThat(tokens.list("ServiceAccount", "acme", null)).extracting(TokenRecord::id).contains(record.id());
    }

    @Test
    void aWrongSecretFails() {
        Tokens.Issued issued = issueForAlice(null);
        String t = issued.token();
        char last = t.charAt(t.length() - 1);
        assertThat(tokens.authenticate(t.substring(0, t.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        assertThat(tokens.authenticate(t.substring(0, t.length() - 1))).isEmpty();
        assertThat(tokens.authenticate(t + "A")).isEmpty();
        // another token's secret under this token's id
        String other = issueForAlice(null).token();
        assertThat(tokens.authenticate("mw_" + issued.record().id() + "_" + secretOf(other))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "mw_", "mw__", "mw_0123456789abcdef", "mw_0123456789abcdef_", "mw_0123_secret",
            "Bearer mw_0123456789abcdef_c2VjcmV0", "mw_0123456789abcdef_c2VjcmV0", "mw_zzzzzzzzzzzzzzzz_c2VjcmV0"})
    void garbageFails(String bearer) {
        issueForAlice(null);
        assertThat(tokens.authenticate(bearer)).isEmpty();
    }

    @Test
    void nullFails() {
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void issuingAndRevokingATokenAreAuditedWithThem() {
        AuditLog audit = new AuditLog(db);
        long before = audit.size();
        Tokens.Issued issued = issueForAlice(null);
        tokens.revoke(issued.record().id(), "user:admin");
        assertThat(audit.size()).isEqualTo(before + 2);
        var records = audit.query(new AuditQuery(null, null, "Token", null, null, 2, 0));
        assertThat(records).extracting(r -> r.entry().verb()).containsExactly("delete", "create");
        assertThat(records).allSatisfy(r -> assertThat(r.entry().name()).isEqualTo(issued.record().id()));
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aRevokedTokenFails() {
        Tokens.Issued issued = issueForAlice(null);
        Tokens.Issued kept = issueForAlice(null);
        clock.advance(Duration.ofMinutes(1));
        Optional<TokenRecord> revoked = tokens.revoke(issued.record().id(), "user:admin");
        assertThat(revoked).isPresent();
        assertThat(revoked.get().revokedAt()).isEqualTo(clock.instant());

        assertThat(tokens.authenticate(issued.token())).isEmpty();
        assertThat(tokens.authenticate(kept.token())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.revoke(issued.record().id(), "user:admin").orElseThrow().revokedAt()).isEqualTo(revoked.get().revokedAt());
        assertThat(tokens.revoke("0000000000000000", "user:admin")).isEmpty();
    }

    @Test
    void anExpiredTokenFailsAndOneWithoutExpiryDoesNot() {
        Tokens.Issued expiring = issueForAlice(Duration.ofHours(1));
        Tokens.Issued lasting = issueForAlice(null);
        clock.advance(Duration.ofMinutes(59));
        assertThat(tokens.authenticate(expiring.token())).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.authenticate(expiring.token())).isEmpty();
        clock.advance(Duration.ofDays(3650));
        assertThat(tokens.authenticate(lasting.token())).isPresent();
    }

    @Test
    void theSecretIsNotStoredInAnyColumn() throws Exception {
        Tokens.Issued issued = issueForAlice(Duration.ofHours(1));
        String secret = secretOf(issued.token());
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        byte[] rawSecret = java.util.Base64.getUrlDecoder().decode(secret);

        List<String> texts = new ArrayList<>();
        List<byte[]> binaries = new ArrayList<>();
        try (var c = db.dataSource().getConnection();
             var s = c.prepareStatement("SELECT * FROM tokens WHERE id = ?")) {
            s.setString(1, issued.record().id());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (meta.getColumnTypeName(i).equals("bytea")) binaries.add(rs.getBytes(i));
                    else texts.add(rs.getString(i));
                }
            }
        }
        assertThat(texts).noneMatch(t -> t != null && (t.contains(secret) || t.contains(HexFormat.of().formatHex(rawSecret))));
        assertThat(binaries).isNotEmpty().noneMatch(b -> contains(b, secretBytes) || contains(b, rawSecret));
        assertThat(issued.record().toString()).doesNotContain(secret);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return true;
        }
        return false;
    }
}
