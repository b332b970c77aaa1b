package dev.cairn.persistence.backup;

/**
 * What an import wrote.
 *
 * @param persistenceIds number of persistence ids imported
 * @param events number of events written to the target journal (rejected-event markers not
 *     counted)
 * @param snapshots number of snapshots written to the target snapshot store
 */
public record ImportSummary(long persistenceIds, long events, long snapshots) {}
