package dev.millwright.secrets;

import dev.millwright.resource.ResourceKey;

/**
 * How server-side code (controllers, infrastructure adapters such as Redfish) reads a secret value. Never exposed
 * over HTTP. Callers use the value at once and do not log, store or put it in any status or event.
 */
@FunctionalInterface
public interface SecretReader {
    /**
     * The plaintext of {@code key} in the Secret or PlatformSecret {@code object}.
     *
     * @throws dev.millwright.resource.NotFoundException when the object or the key does not exist
     * @throws UnreadableSecretException when the value cannot be opened with the keyring
     */
    String reveal(ResourceKey object, String key);
}
