package dev.cairn.persistence;

import java.util.Arrays;

/**
 * Placeholder that Cairn's serializer returns instead of throwing when a stored
 * {@link CairnSerializable} payload (an event or a checkpoint) cannot be deserialized.
 *
 * <p>The policy layer treats it as a poison event (see {@link PoisonEventPolicy}) or, for a
 * checkpoint, falls back to an older one. Serializing it again writes the original bytes
 * unchanged, so tools that copy journals never lose data.
 *
 * @param serializerId the serializer id the payload was stored with
 * @param manifest the stored manifest (normally the class name of the event)
 * @param cause why it could not be read (exception class and message)
 * @param bytes the original stored bytes
 */
public record UnreadablePayload(int serializerId, String manifest, String cause, byte[] bytes)
    implements CairnSerializable {

  @Override
  public boolean equals(Object o) {
    return o instanceof UnreadablePayload u
        && u.serializerId == serializerId
        && u.manifest.equals(manifest)
        && Arrays.equals(u.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return 31 * manifest.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "UnreadablePayload[manifest=" + manifest + ", serializerId=" + serializerId
        + ", size=" + bytes.length + ", cause=" + cause + "]";
  }
}
