package dev.cairn.persistence;

/**
 * Marker for events, snapshots and commands that Pekko serializes with Jackson CBOR.
 *
 * <p>Implement it on your own event and state types (records work well); Cairn's own journal
 * records (rollback markers, quarantine records) implement it too. The binding is set in
 * Cairn's {@code reference.conf}: {@code "dev.cairn.persistence.CairnSerializable" = jackson-cbor}.
 */
public interface CairnSerializable {}
