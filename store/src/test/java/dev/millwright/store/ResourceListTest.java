package dev.millwright.store;

import static dev.millwright.store.Fixtures.ADMIN;
import static dev.millwright.store.Fixtures.object;
import static dev.millwright.store.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millwright.resource.BadRequestException;
import dev.millwright.resource.Json;
import dev.millwright.resource.LabelSelector;
import dev.millwright.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Listing through the ResourceStore: label selectors, tenant filters, and paging with continue tokens. */
class ResourceListTest {
    private static Database db;
    private static ResourceStore store;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh("resourcelist");
        store = new ResourceStore(db, Clock.systemUTC());
        for (String t : List.of("acme", "globex", "initech")) store.create(tenant(t), ADMIN);
        // Labelled: one tenant, kind "Node", four objects covering present, absent and differing labels.
        store.create(object("Node", "acme", "a", Map.of("env", "prod", "tier", "web"), Json.object()), ADMIN);
        store.create(object("Node", "acme", "b", Map.of("env", "prod", "tier", "db"), Json.object()), ADMIN);
        store.create(object("Node", "acme", "c", Map.of("env", "dev", "tier", "web", "gpu", "h100"), Json.object()), ADMIN);
        store.create(object("Node", "acme", "d", Map.of(), Json.object()), ADMIN);
        // Paged: kind "Job", 23 objects spread over three tenants.
        for (int i = 0; i < 23; i++) {
            String t = List.of("acme", "globex", "initech").get(i % 3);
            store.create(object("Job", t, String.format("job-%02d", i)), ADMIN);
        }
    }

    @AfterAll
    static void close() {
        store.close();
        db.close();
    }

    private static List<String> names(String kind, Set<String> tenants, String selector) {
        ResourcePage page = store.list(new ListOptions(kind, tenants, LabelSelector.parse(selector), ListOptions.MAX_LIMIT, null));
        assertThat(page.continueToken()).isNull();
        return page.items().stream().map(Resource::name).toList();
    }

    @ParameterizedTest(name = "\"{0}\" selects {1}")
    @CsvSource(delimiter = '|', value = {
            "''                   | a b c d",
            "env=prod             | a b",
            "env==prod            | a b",
            "env!=prod            | c d",
            "tier in (web,db)     | a b c",
            "tier in (web)        | a c",
            "env notin (dev)      | a b d",
            "env notin (dev,prod) | d",
            "gpu                  | c",
            "!gpu                 | a b d",
            "env=prod,tier!=db    | a",
            "env,!gpu,tier in (db)| b",
            "env=staging          | ''",
    })
    void labelSelectorsSelectExactlyTheMatchingObjects(String selector, String expected) {
        List<String> want = expected.isBlank() ? List.of() : List.of(expected.trim().split(" "));
        assertThat(names("Node", null, selector)).containsExactlyElementsOf(want);
    }

    @Test
    void theStoreAndTheInMemorySelectorAgree() {
        List<Resource> all = store.list(ListOptions.all("Node")).items();
        for (String text : List.of("env=prod", "env!=prod", "tier in (web,db)", "env notin (dev)", "gpu", "!gpu", "env=dev,gpu")) {
            LabelSelector selector = LabelSelector.parse(text);
            List<String> inMemory = all.stream().filter(r -> selector.matches(r.metadata().labels())).map(Resource::name).toList();
            assertThat(names("Node", null, text)).as(text).containsExactlyElementsOf(inMemory);
        }
    }

    @Test
    void theTenantFilterListsAllForNullNoneForEmptyAndOnlyTheNamedOtherwise() {
        assertThat(names("Job", null, "")).hasSize(23);
        assertThat(names("Job", Set.of(), "")).isEmpty();
        assertThat(names("Job", Set.of("globex"), "")).hasSize(8).allMatch(n -> Integer.parseInt(n.substring(4)) % 3 == 1);
        assertThat(names("Job", Set.of("acme", "initech"), "")).hasSize(15);
        assertThat(names("Job", Set.of("no-such-tenant"), "")).isEmpty();
        assertThat(names("Node", Set.of("acme"), "env=prod")).containsExactly("a", "b");
        assertThat(store.list(new ListOptions("Job", Set.of(), null, 10, null)).revision()).isEqualTo(store.revision());
    }

    @Test
    void pagingVisitsEveryObjectOnceAndEveryPageReportsTheFirstPagesRevision() {
        long revisionAtStart = store.revision();
        List<String> seen = new ArrayList<>();
        List<Long> revisions = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ResourcePage page = store.list(new ListOptions("Job", null, null, 5, token));
            pages++;
            assertThat(page.items()).hasSizeLessThanOrEqualTo(5);
            page.items().forEach(r -> seen.add(r.tenant() + "/" + r.name()));
            revisions.add(page.revision());
            token = page.continueToken();
            // a write between pages moves the store on, but not the list's revision
            store.create(object("Unrelated", "", "between-pages-" + pages), ADMIN);
        } while (token != null);

        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(23).doesNotHaveDuplicates().isSorted();
        assertThat(revisions).containsOnly(revisionAtStart);
        assertThat(store.revision()).isGreaterThanOrEqualTo(revisionAtStart + pages);
    }

    @Test
    void aFullLastPageHasNoContinueToken() {
        ResourcePage page = store.list(new ListOptions("Node", null, null, 4, null));
        assertThat(page.items()).hasSize(4);
        assertThat(page.continueToken()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "%%%", "e30", "bm90IGpzb24", "eyJ0IjoiYWNtZSJ9", "eyJ0IjoxLCJuIjoiYSIsInIiOjF9"})
    void aContinueTokenTheServerDidNotIssueIsABadRequestOnTheContinueParameter(String token) {
        // e30 is {}, bm90IGpzb24 is "not json", eyJ0IjoiYWNtZSJ9 is {"t":"acme"}, the last has a number for the tenant
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> store.list(new ListOptions("Job", null, null, 5, token)));
        assertThat(e).isNotNull();
        assertThat(e.details()).containsOnlyKeys("continue");
    }

    @Test
    void aTruncatedOrEditedContinueTokenIsABadRequest() {
        String token = store.list(new ListOptions("Job", null, null, 5, null)).continueToken();
        assertThat(token).isNotNull();
        String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String noRevision = Base64.getUrlEncoder().withoutPadding().encodeToString(
                decoded.replaceFirst(",\"r\":\\d+", "").getBytes(StandardCharsets.UTF_8));
        for (String tampered : List.of(token.substring(0, token.length() - 4), noRevision, token + "!")) {
            BadRequestException e = catchThrowableOfType(BadRequestException.class,
                    () -> store.list(new ListOptions("Job", null, null, 5, tampered)));
            assertThat(e).as(tampered).isNotNull();
            assertThat(e.details()).containsOnlyKeys("continue");
        }
    }
}
