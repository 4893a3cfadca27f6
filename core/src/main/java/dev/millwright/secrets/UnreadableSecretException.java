package dev.millwright.secrets;

import dev.millwright.resource.MillwrightException;

/**
 * A stored value cannot be opened: the key that sealed it is not in the keyring, or the ciphertext does not
 * verify (altered, moved from another object, or sealed under another key of the same id). Never garbage: AES-GCM
 * either returns the value that was sealed there or fails. A server-side problem, answered 500 with this message.
 */
public final class UnreadableSecretException extends MillwrightException {
    UnreadableSecretException(String message) {
        super(500, "SecretUnreadable", message);
    }
}
