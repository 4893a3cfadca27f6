package dev.millwright.api;

import dev.millwright.auth.Authenticator;
import dev.millwright.resource.KindRegistry;
import dev.millwright.store.AuditLog;
import dev.millwright.store.Events;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.Secrets;
import dev.millwright.store.Tokens;
import dev.millwright.watch.ChangeFeed;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/** What the API's handlers work with. */
public record ApiContext(KindRegistry kinds, ResourceStore store, ChangeFeed feed, AuditLog audit, Events events,
                         Tokens tokens, Authenticator authenticator, Clock clock, BooleanSupplier leader,
                         String identity, Secrets secrets) {
}
